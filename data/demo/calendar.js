/* calendar.js: draws Dana Demo's week and fills it from service.svc.
 *
 * The server writes the week into <body data-week-start data-date>. This
 * script builds the mini-month and the grid, asks GetCalendarView for the
 * events the way OWA's own scripts do (the X-OWA-CANARY cookie echoed in a
 * header), lays them out, and then marks <body data-ready="true"
 * data-events="n"> for tests. Moving between weeks is done with real links,
 * as in OWA's web part: nothing here changes the address.
 *
 * Everything is built with DOM calls and textContent, never innerHTML, so
 * event text cannot turn into markup.
 */
"use strict";

(() => {
  const FIRST_HOUR = 7;   /* OC_DEMO_CALENDAR_FIRST_HOUR; --hours in calendar.css */
  const LAST_HOUR = 20;
  const DAY_MS = 24 * 60 * 60 * 1000;
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December"];
  const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  const SHOW_AS = { Busy: "Busy", Tentative: "Tentative", OOF: "Away", Free: "Free" };
  const CATEGORIES = {
    "Blue category": ["cat-blue", "Team"],
    "Green category": ["cat-green", "Customers"],
    "Orange category": ["cat-orange", "Design"],
    "Red category": ["cat-red", "Finance"],
    "Yellow category": ["cat-yellow", "1:1s"],
    "Purple category": ["cat-purple", "Travel"],
  };
  const AVATAR_COLOURS = ["#1c71d8", "#26a269", "#c64600", "#a51d2d", "#613583", "#63452c", "#2190a4"];
  const ICONS = {
    left: "M10 3 5 8l5 5",
    right: "m6 3 5 5-5 5",
    lock: "M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2",
  };

  const body = document.body;
  const weekStart = parseDate(body.dataset.weekStart);
  const shownDate = parseDate(body.dataset.date);
  const panel = document.getElementById("details");
  const columns = [];
  const nowLine = element("div", { class: "now-line", "aria-hidden": "true" });
  let opener = null;

  /* Helpers */

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false)
        continue;
      if (name === "class")
        node.className = value;
      else if (name === "text")
        node.textContent = value;
      else
        node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  const pad = (n) => String(n).padStart(2, "0");

  function parseDate(text) {
    const [y, m, d] = text.split("-").map(Number);
    return new Date(y, m - 1, d);
  }

  /* "2026-11-23T09:15:00" is local time. Parsing it by hand keeps engines
   * from guessing UTC. */
  function parseLocal(text) {
    const [date, time = "00:00:00"] = text.split("T");
    const [y, m, d] = date.split("-").map(Number);
    const [hh, mm] = time.split(":").map(Number);
    return new Date(y, m - 1, d, hh, mm);
  }

  const addDays = (date, n) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + n);
  const weekday = (date) => (date.getDay() + 6) % 7;
  const isoDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const hhmm = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const minutesOf = (d) => d.getHours() * 60 + d.getMinutes();
  const longDate = (d) => `${DAYS[weekday(d)]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;

  /* Rounding absorbs the 23- and 25-hour days of summer time. */
  function dayIndex(date) {
    const midnight = new Date(date.getFullYear(), date.getMonth(), date.getDate());
    return Math.round((midnight - weekStart) / DAY_MS);
  }

  function weekUrl(date) {
    return `?cmd=contents&module=calendar&view=weekly&d=${date.getDate()}` +
           `&m=${date.getMonth() + 1}&y=${date.getFullYear()}`;
  }

  function lengthText(minutes) {
    const h = Math.floor(minutes / 60), m = minutes % 60;
    const parts = [];
    if (h > 0)
      parts.push(`${h} hour${h > 1 ? "s" : ""}`);
    if (m > 0)
      parts.push(`${m} minutes`);
    return parts.join(" ");
  }

  function readCookie(name) {
    for (const pair of document.cookie.split(";")) {
      const equals = pair.indexOf("=");
      if (equals > 0 && pair.slice(0, equals).trim() === name)
        return decodeURIComponent(pair.slice(equals + 1).trim());
    }
    return null;
  }

  function avatar(name, size = "small") {
    const initials = name.replace(/\(.*\)/, "").trim().split(/\s+/).map((w) => w[0]).slice(0, 2).join("");
    let hash = 0;
    for (const c of name)
      hash = (hash * 31 + c.codePointAt(0)) >>> 0;
    const node = element("span", { class: `avatar ${size}${name === "Dana Demo" ? " me" : ""}`,
                                   "aria-hidden": "true", text: initials });
    node.style.setProperty("--avatar", AVATAR_COLOURS[hash % AVATAR_COLOURS.length]);
    return node;
  }

  const categoryOf = (event) => CATEGORIES[event.category] || ["cat-none", null];
  const showAsClass = (event) => `fb-${(event.freeBusy || "Busy").toLowerCase()}`;

  /* Mini-month */

  function buildMiniMonth(container, month) {
    const today = new Date();
    const first = addDays(month, -weekday(month));
    const title = `${MONTHS[month.getMonth()]} ${month.getFullYear()}`;
    const previous = element("button", { class: "button icon flat", type: "button",
                                          "aria-label": "Previous month", title: "Previous month" }, icon("left"));
    const next = element("button", { class: "button icon flat", type: "button",
                                      "aria-label": "Next month", title: "Next month" }, icon("right"));
    const head = element("tr", {}, ...DAYS.map((day) => element("th", { abbr: day, scope: "col", text: day[0] })));
    const rows = [];

    previous.addEventListener("click", () =>
      buildMiniMonth(container, new Date(month.getFullYear(), month.getMonth() - 1, 1)));
    next.addEventListener("click", () =>
      buildMiniMonth(container, new Date(month.getFullYear(), month.getMonth() + 1, 1)));

    for (let row = 0; row < 6; row++) {
      const monday = addDays(first, row * 7);
      const cells = [];
      for (let i = 0; i < 7; i++) {
        const day = addDays(monday, i);
        const isToday = isoDate(day) === isoDate(today);
        const classes = [day.getMonth() !== month.getMonth() ? "other" : "", isToday ? "today" : ""];
        cells.push(element("td", { class: classes.join(" ").trim() || null },
          element("a", { href: weekUrl(day), "aria-label": longDate(day) + (isToday ? ", today" : ""),
                         "aria-current": isToday ? "date" : null, text: String(day.getDate()) })));
      }
      rows.push(element("tr", { class: isoDate(monday) === isoDate(weekStart) ? "current" : null }, ...cells));
    }

    container.replaceChildren(
      element("header", {},
        element("h2", { id: "mini-month-title", "aria-live": "polite", text: title }),
        element("div", { class: "nav" }, previous, next)),
      element("table", { "aria-labelledby": "mini-month-title" },
        element("thead", {}, head), element("tbody", {}, ...rows)));
  }

  /* Week skeleton */

  function buildWeek() {
    const today = new Date();
    const head = document.getElementById("week-head");
    const allDay = document.getElementById("all-day");
    const grid = document.getElementById("grid");
    const hours = element("div", { class: "hours", "aria-hidden": "true" });
    const lines = element("div", { class: "lines", "aria-hidden": "true" });

    head.append(element("div", { class: "gutter" }));
    allDay.append(element("div", { class: "label", text: "All day" }));
    for (let h = FIRST_HOUR; h < LAST_HOUR; h++) {
      const top = `calc(var(--hour) * ${h - FIRST_HOUR})`;
      const half = `calc(var(--hour) * ${h - FIRST_HOUR + 0.5})`;
      const label = element("span", { class: "hour-label", text: `${pad(h)}:00` });
      label.style.top = top;
      hours.append(label);
      const line = element("div");
      const halfLine = element("div", { class: "half" });
      line.style.top = top;
      halfLine.style.top = half;
      lines.append(line, halfLine);
    }
    grid.append(hours, lines);

    for (let i = 0; i < 7; i++) {
      const day = addDays(weekStart, i);
      const classes = [i >= 5 ? "weekend" : "", isoDate(day) === isoDate(today) ? "today" : ""].join(" ");
      head.append(element("div", { class: `day-head ${classes}`, "aria-hidden": "true" },
        element("span", { class: "num", text: String(day.getDate()) }),
        element("span", { class: "dow", text: DAYS[i].slice(0, 3) })));
      allDay.append(element("div", { class: "cell" }));
      const column = element("div", { class: `day-col ${classes}`, role: "group", "aria-label": longDate(day) });
      column.style.gridColumn = String(i + 2);
      columns.push(column);
      grid.append(column);
    }
  }

  function placeNowLine() {
    const now = new Date();
    const i = dayIndex(now);
    const minutes = minutesOf(now) - FIRST_HOUR * 60;

    nowLine.remove();
    if (i < 0 || i > 6 || minutes < 0 || minutes > (LAST_HOUR - FIRST_HOUR) * 60)
      return;
    nowLine.style.top = `calc(var(--hour) * ${minutes / 60})`;
    columns[i].append(nowLine);
  }

  /* Events */

  function describe({ event, start, end }) {
    const parts = [event.subject];
    if (event.allDay)
      parts.push(`all day, ${longDate(start)} to ${longDate(addDays(end, -1))}`);
    else
      parts.push(`${longDate(start)}, ${hhmm(start)} to ${hhmm(end)}`);
    if (event.location)
      parts.push(event.location);
    parts.push(SHOW_AS[event.freeBusy] || event.freeBusy);
    return parts.join(", ");
  }

  function eventButton(item, extraClass) {
    const { event } = item;
    const classes = ["event", categoryOf(event)[0], showAsClass(event), extraClass].join(" ");
    const title = element("span", { class: "title" },
                          event.sensitivity === "Private" ? icon("lock") : null, event.subject);
    const button = element("button", { type: "button", class: classes, "aria-label": describe(item),
                                       "aria-haspopup": "dialog", "aria-controls": "details",
                                       "aria-expanded": "false", "data-id": event.id }, title);
    button.addEventListener("click", () => openDetails(item, button));
    return button;
  }

  /* Events that overlap, directly or through others, form a cluster that
   * shares the day's width; each takes the first column free at its start. */
  function layoutDay(items) {
    let cluster = [], ends = [], clusterEnd = -Infinity;
    const flush = () => {
      for (const item of cluster)
        item.columns = ends.length;
      cluster = [];
      ends = [];
    };

    items.sort((a, b) => a.start - b.start || b.end - a.end);
    for (const item of items) {
      if (item.start >= clusterEnd)
        flush();
      let column = ends.findIndex((end) => end <= item.start);
      if (column < 0) {
        column = ends.length;
        ends.push(item.end);
      } else {
        ends[column] = item.end;
      }
      item.column = column;
      cluster.push(item);
      clusterEnd = Math.max(clusterEnd, item.end);
    }
    flush();
  }

  function renderTimed(items, column) {
    const span = LAST_HOUR - FIRST_HOUR;

    layoutDay(items);
    for (const item of items) {
      const { event, start, end } = item;
      const minutes = (end - start) / 60000;
      const top = Math.min(Math.max(0, minutesOf(start) / 60 - FIRST_HOUR), span);
      const height = Math.max(0, Math.min(minutes / 60, span - top));
      /* Half an hour has room for one line, an hour for three. */
      const size = minutes <= 30 ? "short" : minutes < 60 ? "" : minutes < 90 ? "medium" : "tall";
      const button = eventButton(item, size);
      const time = `${hhmm(start)} – ${hhmm(end)}`;

      button.style.top = `calc(var(--hour) * ${top} + 1px)`;
      button.style.height = `calc(var(--hour) * ${height} - 2px)`;
      button.style.left = `calc(${(item.column / item.columns) * 100}% + 2px)`;
      button.style.width = `calc(${100 / item.columns}% - 4px)`;
      if (size === "short")
        button.append(element("span", { class: "meta", text: hhmm(start) }));
      else if (size !== "tall")
        button.append(element("span", { class: "meta", text: [time, event.location].filter(Boolean).join(" · ") }));
      else if (event.location)
        button.append(element("span", { class: "meta", text: time }),
                      element("span", { class: "meta", text: event.location }));
      else
        button.append(element("span", { class: "meta", text: time }));
      column.append(button);
    }
  }

  function renderAllDay(items) {
    const row = document.getElementById("all-day");
    const lanes = [];

    items.sort((a, b) => a.start - b.start || b.end - a.end);
    for (const item of items) {
      const first = Math.max(0, dayIndex(item.start));
      const last = Math.min(7, dayIndex(item.end));
      if (last <= first)
        continue;
      let lane = lanes.findIndex((end) => end <= first);
      if (lane < 0) {
        lane = lanes.length;
        lanes.push(last);
      } else {
        lanes[lane] = last;
      }
      const button = eventButton(item, "");
      button.style.gridColumn = `${first + 2} / ${last + 2}`;
      button.style.gridRow = String(lane + 1);
      if (item.event.location)
        button.append(element("span", { class: "meta", text: item.event.location }));
      row.append(button);
    }
    row.style.setProperty("--lanes", String(Math.max(1, lanes.length)));
  }

  function renderEvents(events) {
    const timed = columns.map(() => []);
    const allDay = [];

    for (const event of events) {
      const item = { event, start: parseLocal(event.start), end: parseLocal(event.end) };
      const i = dayIndex(item.start);
      if (event.allDay)
        allDay.push(item);
      else if (i >= 0 && i < 7)
        timed[i].push(item);
    }
    timed.forEach((items, i) => renderTimed(items, columns[i]));
    renderAllDay(allDay);
  }

  /* Details panel */

  function detailRow(label, ...values) {
    return [element("dt", { text: label }), element("dd", {}, ...values)];
  }

  function openDetails(item, button) {
    const { event, start, end } = item;
    const [categoryClass, categoryName] = categoryOf(event);
    const minutes = Math.round((end - start) / 60000);
    const rows = [];

    if (event.allDay) {
      const last = addDays(end, -1);
      const days = dayIndex(end) - dayIndex(start);
      rows.push(...detailRow("When",
        element("div", { text: days > 1 ? `${longDate(start)} to ${longDate(last)}` : longDate(start) }),
        element("div", { class: "second", text: `All day · ${days} day${days > 1 ? "s" : ""}` })));
    } else {
      rows.push(...detailRow("When", element("div", { text: longDate(start) }),
        element("div", { class: "second", text: `${hhmm(start)} – ${hhmm(end)} · ${lengthText(minutes)}` })));
    }
    if (event.location)
      rows.push(...detailRow("Where", event.location));
    if (event.organizer)
      rows.push(...detailRow("Organizer", element("span", { class: "person" }, avatar(event.organizer), event.organizer)));
    if (event.attendees && event.attendees.length > 0)
      rows.push(...detailRow(`Attendees (${event.attendees.length})`,
        element("ul", { class: "people" },
          ...event.attendees.map((name) => element("li", {}, avatar(name), name)))));
    rows.push(...detailRow("Show as",
      element("span", { class: `badge ${showAsClass(event)}`, text: SHOW_AS[event.freeBusy] || event.freeBusy })));
    if (categoryName)
      rows.push(...detailRow("Category",
        element("span", { class: "category" }, element("span", { class: `swatch ${categoryClass}` }), categoryName)));

    if (opener)
      opener.setAttribute("aria-expanded", "false");
    opener = button;
    button.setAttribute("aria-expanded", "true");

    panel.className = `details ${categoryClass} ${event.freeBusy === "OOF" ? "fb-oof" : ""}`;
    document.getElementById("details-subject").textContent = event.subject;
    document.getElementById("details-list").replaceChildren(...rows);
    const text = document.getElementById("details-body");
    text.textContent = event.body ||
      (event.sensitivity === "Private" ? "This appointment is private: only its time is shared." : "");
    text.hidden = text.textContent === "";
    panel.hidden = false;
    document.getElementById("details-subject").focus();
  }

  function closeDetails() {
    if (panel.hidden)
      return;
    panel.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
      opener = null;
    }
  }

  /* Service */

  async function loadEvents() {
    const canary = readCookie("X-OWA-CANARY");
    const headers = { "Content-Type": "application/json; charset=utf-8", Action: "GetCalendarView" };
    /* Without the canary the server refuses, as Exchange does; say so
     * below rather than guess. */
    if (canary)
      headers["X-OWA-CANARY"] = canary;
    const response = await fetch("service.svc?action=GetCalendarView", {
      method: "POST",
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: JSON.stringify({ start: isoDate(weekStart), days: 7 }),
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    if (!response.ok || !answer || !Array.isArray(answer.events)) {
      const reason = answer && answer.error ? answer.error.code : response.statusText;
      throw new Error(`the calendar service answered ${response.status} (${reason})`);
    }
    return answer.events;
  }

  async function main() {
    const status = document.getElementById("status");

    document.getElementById("details-close").addEventListener("click", closeDetails);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !panel.hidden) {
        e.preventDefault();
        closeDetails();
      }
    });

    buildMiniMonth(document.getElementById("mini-month"),
                   new Date(shownDate.getFullYear(), shownDate.getMonth(), 1));
    buildWeek();
    placeNowLine();
    setInterval(placeNowLine, 30 * 1000);

    try {
      const events = await loadEvents();
      renderEvents(events);
      status.textContent = `${events.length} events this week.`;
      status.classList.add("done");
      body.dataset.events = String(events.length);
      body.dataset.ready = "true";
    } catch (error) {
      status.textContent = `Couldn't load Dana Demo's events: ${error.message}.`;
      status.classList.add("error");
      body.dataset.ready = "error";
    }
  }

  main();
})();
