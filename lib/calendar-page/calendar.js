// owacal's calendar page: details on click or Enter, keyboard shortcuts, first scroll.
// Navigation is plain links (owacal draws each range as a page of its own).
'use strict';
(() => {
  const events = JSON.parse(document.getElementById('event-data').textContent);
  const dialog = document.getElementById('details');
  const list = document.getElementById('details-list');
  let opener = null;

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className)
      node.className = className;
    if (text !== undefined && text !== null)
      node.textContent = text;
    return node;
  };

  // Plain text with its web addresses made into links (meeting links in descriptions).
  const linkify = (text) => {
    const fragment = document.createDocumentFragment();
    const pattern = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      fragment.append(text.slice(last, match.index));
      const link = element('a', null, match[0]);
      link.href = match[0];
      fragment.append(link);
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  };

  const person = (who) => {
    if (!who)
      return null;
    if (who.name && who.email)
      return `${who.name} <${who.email}>`;
    return who.name || who.email;
  };

  const addRow = (term, value) => {
    if (value === null || value === undefined || value === '')
      return;
    list.append(element('dt', null, term));
    const dd = element('dd');
    dd.append(value);
    list.append(dd);
  };

  // An event whose server tells more when asked (Exchange's GetItem): asked
  // once, when its details are first shown; the dialog is filled again then.
  const askForMore = (event, button) => {
    event.asking = true;
    fetch(event.more).then((response) => response.json()).then((more) => {
      if (more.error)
        event.moreError = more.error;
      else
        Object.assign(event, more, {more: null});
    }).catch((error) => {
      event.moreError = String(error);
    }).finally(() => {
      event.asking = false;
      if (dialog.open && opener === button)
        fillDetails(event);
    });
  };

  const fillDetails = (event) => {
    document.getElementById('details-title').textContent = event.title;
    document.getElementById('details-color').style.setProperty('--person', event.color);
    list.replaceChildren();
    addRow('When', event.when + (event.recurring ? ' (repeats)' : ''));
    addRow('Where', event.location);
    addRow('Organizer', person(event.organizer));
    if (event.attendees.length > 0) {
      const people = element('ul');
      for (const attendee of event.attendees) {
        const item = element('li', null, person(attendee) + (attendee.optional ? ' (optional)' : ''));
        if (attendee.status)
          item.append(' ', element('span', 'partstat', attendee.status));
        people.append(item);
      }
      addRow(`Attendees (${event.attendees.length})`, people);
    }
    addRow('Status', event.status);
    if (document.body.dataset.people !== '1' || event.freebusy)
      addRow('Calendar', event.calendar);
    if (event.private)
      addRow('Details', 'This event is private: only the time is published.');
    if (event.description) {
      const description = element('div', 'description');
      description.append(linkify(event.description));
      addRow('Notes', description);
    }
    if (event.more && event.moreError)
      addRow('Notes', `The notes and attendees could not be read: ${event.moreError}`);
    else if (event.more)
      addRow('Notes', element('span', 'loading', 'Asking the server for the notes and attendees…'));
    list.setAttribute('aria-busy', event.more && !event.moreError ? 'true' : 'false');
  };

  const showDetails = (button) => {
    const event = events[button.dataset.event];
    if (!event)
      return;
    opener = button;
    fillDetails(event);
    if (event.more && !event.asking && !event.moreError)
      askForMore(event, button);
    dialog.showModal();
    dialog.querySelector('.close').focus();
  };

  dialog.addEventListener('close', () => {
    if (opener)
      opener.focus();
  });
  // A click on the dimmed page around the dialog closes it.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog)
      dialog.close();
  });
  document.addEventListener('click', (e) => {
    const button = e.target.closest && e.target.closest('button.event');
    if (button) {
      e.preventDefault();
      showDetails(button);
    }
  });

  const follow = (id) => {
    const link = document.getElementById(id);
    if (link)
      location.href = link.href;
  };
  const shortcuts = {
    PageUp: 'previous', PageDown: 'next', t: 'today',
    d: 'view-day', w: 'view-week', m: 'view-month', a: 'view-agenda',
  };
  document.addEventListener('keydown', (e) => {
    // Ctrl and Alt belong to the window (reload, back, zoom, tabs).
    if (e.ctrlKey || e.altKey || e.metaKey || dialog.open)
      return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (shortcuts[key]) {
      e.preventDefault();
      follow(shortcuts[key]);
      return;
    }
    // The arrow keys walk from event to event, once one has the focus.
    const current = document.activeElement;
    if (!current || !current.matches('button.event'))
      return;
    const all = [...document.querySelectorAll('button.event')];
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (step) {
      const next = all[all.indexOf(current) + step];
      if (next) {
        e.preventDefault();
        next.focus();
        next.scrollIntoView({ block: 'nearest' });
      }
    }
  });

  // Show the working day, or the earliest event, rather than midnight.
  const scroller = document.getElementById('scroller');
  if (scroller) {
    const body = scroller.querySelector('.grid-body');
    scroller.scrollTop = Math.max(0, Number(scroller.dataset.firstHour) * body.offsetHeight / 24 - 12);
    document.documentElement.style.setProperty('--scrollbar', `${scroller.offsetWidth - scroller.clientWidth}px`);
  }
})();
