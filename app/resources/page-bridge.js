// owacal page bridge: runs in every frame before the page's own scripts.
//
// Pages are shown as owacal-https://host/..., a scheme WebKit keeps no
// cookies for. OWA's scripts read their X-OWA-CANARY cookie and send it back
// as a header, so document.cookie is answered from owacal's (libcurl's) jar
// through a reserved path of the site. And WebKit crashes when a scheme
// handler reads a request body backed by a Blob or File, so such bodies are
// turned into plain buffers before they leave the page, and marked as safe.
(() => {
  'use strict';
  if (!/^owacal-https?:$/.test(location.protocol))
    return;

  const bridge = `${location.protocol}//${location.host}/__owacal__/cookie`;
  const SAFE_BODY = 'X-Owacal-Body';

  const askBridge = (query) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', `${bridge}?${query}`, false);
    xhr.send();
    return xhr.status === 200 ? xhr.responseText : '';
  };
  const documentUrl = () => encodeURIComponent(location.href.replace(/^owacal-/, ''));

  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: true,
    get() {
      return askBridge(`url=${documentUrl()}`);
    },
    set(value) {
      askBridge(`url=${documentUrl()}&set=${encodeURIComponent(String(value))}`);
    },
  });

  const needsBuffer = (body) =>
    body instanceof Blob || body instanceof FormData ||
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream);

  const originalFetch = window.fetch;
  window.fetch = async function (input, init) {
    let options = Object.assign({}, init || {});
    if (input instanceof Request && options.body === undefined &&
        !['GET', 'HEAD'].includes(input.method)) {
      options = {
        method: input.method, headers: input.headers, credentials: input.credentials,
        cache: input.cache, redirect: input.redirect, referrer: input.referrer,
        body: await input.clone().arrayBuffer(),
      };
      input = input.url;
    }
    if (options.body !== undefined && options.body !== null) {
      const headers = new Headers(options.headers || (input instanceof Request ? input.headers : undefined));
      if (needsBuffer(options.body)) {
        const wrapped = new Response(options.body);
        const type = wrapped.headers.get('Content-Type');
        if (type && !headers.has('Content-Type'))
          headers.set('Content-Type', type);
        options.body = await wrapped.arrayBuffer();
      }
      headers.set(SAFE_BODY, '1');
      options.headers = headers;
    }
    return originalFetch.call(this, input, options);
  };

  const originalOpen = XMLHttpRequest.prototype.open;
  const originalSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, async, ...rest) {
    this.__owacalAsync = async !== false;
    return originalOpen.call(this, method, url, async === undefined ? true : async, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (body === undefined || body === null)
      return originalSend.call(this, body);
    if (!needsBuffer(body)) {
      this.setRequestHeader(SAFE_BODY, '1');
      return originalSend.call(this, body);
    }
    if (!this.__owacalAsync)
      throw new DOMException('owacal cannot send a file in a synchronous request', 'NotSupportedError');
    const wrapped = new Response(body);
    const type = wrapped.headers.get('Content-Type');
    wrapped.arrayBuffer().then((buffer) => {
      if (type)
        this.setRequestHeader('Content-Type', type);
      this.setRequestHeader(SAFE_BODY, '1');
      originalSend.call(this, buffer);
    });
  };

  if (navigator.sendBeacon) {
    navigator.sendBeacon = (url, data) => {
      window.fetch(url, { method: 'POST', body: data, keepalive: true }).catch(() => {});
      return true;
    };
  }
})();
