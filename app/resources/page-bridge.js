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

  // multipart/form-data by hand: WebKitGTK cannot serialise a FormData holding
  // a File through new Response(form) on a custom scheme.
  const encodeForm = async (form) => {
    const boundary = `----owacal${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
    const encoder = new TextEncoder();
    const quote = (text) => text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const parts = [];
    for (const [name, value] of form.entries()) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"`;
      if (typeof value === 'string') {
        parts.push(encoder.encode(`${head}\r\n\r\n${value.replace(/\r?\n/g, '\r\n')}\r\n`));
        continue;
      }
      head += `; filename="${quote(value.name || 'blob')}"\r\n` +
              `Content-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
      parts.push(encoder.encode(head), new Uint8Array(await value.arrayBuffer()), encoder.encode('\r\n'));
    }
    parts.push(encoder.encode(`--${boundary}--\r\n`));
    const body = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.length;
    }
    return { type: `multipart/form-data; boundary=${boundary}`, buffer: body.buffer };
  };

  const toBuffer = async (body) => {
    if (body instanceof FormData)
      return encodeForm(body);
    if (body instanceof Blob)
      return { type: body.type, buffer: await body.arrayBuffer() };
    return { type: null, buffer: await new Response(body).arrayBuffer() };
  };

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
        const { type, buffer } = await toBuffer(options.body);
        if (type && !headers.has('Content-Type'))
          headers.set('Content-Type', type);
        options.body = buffer;
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
    toBuffer(body).then(({ type, buffer }) => {
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
