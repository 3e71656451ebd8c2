/*
 * A look-alike of Plaid Link's web script, served by Tally's Plaid emulator (never by Plaid).
 *
 * Like https://cdn.plaid.com/link/v2/stable/link-initialize.js it defines
 * window.Plaid.create({token, onSuccess, onExit, onEvent, onLoad}), which returns a handler with
 * open(), exit() and destroy(). open() shows an accessible in-page dialog: search the sandbox
 * institutions, sign in (user_good / pass_good), choose the accounts to share; then
 * onSuccess(public_token, metadata). A token made for an Item in update mode opens on that
 * Item's sign-in. It talks only to the emulator that served it (the /link/v2/ endpoints beside
 * this file), so a page whose CSP allows only its own origin can use it.
 */
(function () {
  "use strict";

  var current = document.currentScript;
  var scriptUrl = current && current.src ? current.src : window.location.origin + "/plaid-sandbox/link/v2/stable/link-initialize.js";
  var apiBase = scriptUrl.replace(/\/stable\/link-initialize\.js(?:[?#].*)?$/, "");
  var STYLE_ID = "plaid-emulator-link-style";
  var counter = 0;

  var CSS = [
    ".pel-backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;",
    "background:rgba(17,24,39,.6);padding:16px;box-sizing:border-box;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
    ".pel-dialog{background:#fff;color:#111827;width:100%;max-width:420px;max-height:100%;overflow:auto;border-radius:14px;",
    "box-shadow:0 20px 50px rgba(0,0,0,.35);padding:20px 24px 24px;box-sizing:border-box}",
    ".pel-top{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-bottom:12px}",
    ".pel-brand{font-weight:700;letter-spacing:.02em}.pel-brand small{font-weight:400;color:#4b5563;margin-left:6px}",
    ".pel-close,.pel-back{background:none;border:0;color:#1f2937;font:inherit;cursor:pointer;border-radius:8px;padding:6px 10px}",
    ".pel-close{font-size:1.4rem;line-height:1}.pel-close:hover,.pel-back:hover{background:#f3f4f6}",
    ".pel-dialog h2{font-size:1.35rem;margin:4px 0 8px;outline:none}",
    ".pel-dialog p{margin:0 0 12px}.pel-muted{color:#4b5563;font-size:.95rem}",
    ".pel-dialog label{display:block;font-weight:600;margin:12px 0 4px}",
    ".pel-dialog input[type=search],.pel-dialog input[type=text],.pel-dialog input[type=password]{width:100%;box-sizing:border-box;",
    "font:inherit;padding:10px 12px;border:1px solid #6b7280;border-radius:8px;color:#111827;background:#fff}",
    ".pel-list{list-style:none;margin:12px 0 0;padding:0;display:grid;gap:8px}",
    ".pel-bank{width:100%;text-align:left;display:flex;align-items:center;gap:12px;font:inherit;padding:12px;",
    "border:1px solid #d1d5db;border-radius:10px;background:#fff;color:#111827;cursor:pointer}",
    ".pel-bank:hover{border-color:#111827;background:#f9fafb}",
    ".pel-swatch{width:28px;height:28px;border-radius:50%;flex:none}",
    ".pel-primary{display:block;width:100%;margin-top:18px;font:inherit;font-weight:600;padding:12px;border:0;border-radius:10px;",
    "background:#111827;color:#fff;cursor:pointer}.pel-primary[disabled]{background:#4b5563;cursor:progress}",
    ".pel-alert{margin-top:12px;padding:10px 12px;border-radius:8px;background:#fef2f2;color:#991b1b;border:1px solid #fca5a5}",
    ".pel-alert:empty{display:none}",
    ".pel-accounts{border:0;margin:8px 0 0;padding:0}.pel-accounts legend{font-weight:600;margin-bottom:4px;padding:0}",
    ".pel-account{display:flex!important;align-items:center;gap:10px;font-weight:400!important;padding:10px 12px;",
    "border:1px solid #d1d5db;border-radius:10px;margin:8px 0 0!important;cursor:pointer}",
    ".pel-account input{width:20px;height:20px;margin:0;flex:none}.pel-account span{display:flex;flex-direction:column}",
    ".pel-account small{color:#4b5563}",
    ".pel-spinner{width:28px;height:28px;border:3px solid #d1d5db;border-top-color:#111827;border-radius:50%;",
    "animation:pel-spin 1s linear infinite;margin:16px auto}@keyframes pel-spin{to{transform:rotate(360deg)}}",
    "@media (prefers-reduced-motion:reduce){.pel-spinner{animation:none}}",
    ".pel-dialog :focus-visible{outline:3px solid #2563eb;outline-offset:2px}",
    "@media (max-width:480px){.pel-backdrop{padding:0;align-items:stretch}.pel-dialog{max-width:none;border-radius:0;min-height:100%}}",
  ].join("");

  function addStyle() {
    if (document.getElementById(STYLE_ID)) return;
    var style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function post(path, body) {
    return fetch(apiBase + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    }).then(
      function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw data;
          return data;
        });
      },
      function () {
        throw {
          error_type: "API_ERROR",
          error_code: "INTERNAL_SERVER_ERROR",
          error_message: "the emulator could not be reached",
          display_message: "Plaid cannot be reached. Check your connection and try again.",
        };
      },
    );
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function plaidError(error) {
    if (!error || !error.error_code) return null;
    return {
      error_type: error.error_type,
      error_code: error.error_code,
      error_message: error.error_message,
      display_message: error.display_message || null,
    };
  }

  // What Plaid reports as onExit's status, by the view the user left.
  var EXIT_STATUS = {
    SELECT_INSTITUTION: "institution_not_found",
    CREDENTIAL: "requires_credentials",
    SELECT_ACCOUNT: "requires_account_selection",
  };

  function create(config) {
    if (!config || typeof config.token !== "string" || !config.token) {
      throw new Error("Plaid.create: a link token (config.token) is required");
    }
    if (typeof config.onSuccess !== "function") {
      throw new Error("Plaid.create: config.onSuccess must be a function");
    }
    counter += 1;
    var ids = { title: "pel-title-" + counter };
    var state = {
      destroyed: false,
      opened: false,
      session: null,
      sessionError: null,
      view: "LOADING",
      institution: null,
      username: "",
      password: "",
      accounts: [],
      result: null,
      lastError: null,
      requestId: null,
      busy: false,
    };
    var root = null;
    var returnFocus = null;
    var bodyOverflow = "";

    function emit(name, extra) {
      if (typeof config.onEvent !== "function") return;
      var metadata = {
        error_type: null,
        error_code: null,
        error_message: null,
        exit_status: null,
        institution_id: state.institution ? state.institution.institution_id : null,
        institution_name: state.institution ? state.institution.name : null,
        institution_search_query: null,
        mfa_type: null,
        view_name: null,
        selection: null,
        timestamp: new Date().toISOString(),
        link_session_id: state.session ? state.session.link_session_id : null,
        request_id: state.requestId,
      };
      Object.keys(extra || {}).forEach(function (key) {
        metadata[key] = extra[key];
      });
      try {
        config.onEvent(name, metadata);
      } catch (error) {
        setTimeout(function () {
          throw error;
        });
      }
    }

    post("/session", { link_token: config.token }).then(
      function (session) {
        state.session = session;
        state.requestId = session.request_id;
        if (session.mode === "update") {
          state.institution = session.institutions[0];
        }
        if (typeof config.onLoad === "function") config.onLoad();
        if (state.opened) show(firstView());
      },
      function (error) {
        state.sessionError = plaidError(error) || {
          error_type: "INVALID_INPUT",
          error_code: "INVALID_LINK_TOKEN",
          error_message: "link token is invalid or expired",
          display_message: null,
        };
        state.lastError = state.sessionError;
        if (typeof config.onLoad === "function") config.onLoad();
        if (state.opened) show("ERROR");
      },
    );

    function firstView() {
      return state.session && state.session.mode === "update" ? "CREDENTIAL" : "SELECT_INSTITUTION";
    }

    function clientName() {
      return (state.session && state.session.client_name) || "This app";
    }

    function open() {
      if (state.destroyed || state.opened) return;
      state.opened = true;
      addStyle();
      returnFocus = document.activeElement;
      bodyOverflow = document.body.style.overflow;
      document.body.style.overflow = "hidden";
      root = element("div", { class: "pel-backdrop", onkeydown: onKey });
      document.body.appendChild(root);
      emit("OPEN");
      if (state.sessionError) show("ERROR");
      else if (state.session) show(firstView());
      else show("LOADING");
    }

    function close() {
      if (!root) return;
      root.remove();
      root = null;
      state.opened = false;
      document.body.style.overflow = bodyOverflow;
      if (returnFocus && typeof returnFocus.focus === "function" && document.contains(returnFocus)) {
        returnFocus.focus();
      }
    }

    function finish() {
      var result = state.result;
      close();
      emit("HANDOFF", { view_name: "CONNECTED" });
      config.onSuccess(result.public_token, result.metadata);
    }

    function exit() {
      if (!state.opened) return;
      if (state.view === "CONNECTED" && state.result) {
        finish();
        return;
      }
      var status = EXIT_STATUS[state.view] || null;
      var error = state.lastError;
      var metadata = {
        institution: state.institution ? { name: state.institution.name, institution_id: state.institution.institution_id } : null,
        status: status,
        link_session_id: state.session ? state.session.link_session_id : null,
        request_id: state.requestId,
      };
      close();
      emit("EXIT", { exit_status: status });
      if (typeof config.onExit === "function") config.onExit(error, metadata);
    }

    function destroy() {
      close();
      state.destroyed = true;
    }

    function onKey(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        exit();
        return;
      }
      if (event.key !== "Tab" || !root) return;
      var focusable = Array.prototype.filter.call(
        root.querySelectorAll("button, input, [href], [tabindex]:not([tabindex='-1'])"),
        function (node) {
          return !node.disabled && node.offsetParent !== null;
        },
      );
      if (focusable.length === 0) return;
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && (document.activeElement === first || !root.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }

    function show(view) {
      if (!root) return;
      var previous = state.view;
      state.view = view;
      if (previous !== view && view !== "LOADING") emit("TRANSITION_VIEW", { view_name: view });
      var pane = PANES[view]();
      var dialog = element(
        "div",
        { class: "pel-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": ids.title },
        [
          element("div", { class: "pel-top" }, [
            element("span", { class: "pel-brand" }, ["Plaid", element("small", { text: "sandbox emulator" })]),
            element("button", { type: "button", class: "pel-close", "aria-label": "Exit", onclick: exit, text: "×" }),
          ]),
          pane.node,
        ],
      );
      root.replaceChildren(dialog);
      (pane.focus || dialog.querySelector("h2")).focus();
    }

    function heading(text) {
      return element("h2", { id: ids.title, tabindex: "-1", text: text });
    }

    function alertBox() {
      return element("div", { class: "pel-alert", role: "alert" });
    }

    function showError(box, error) {
      state.lastError = plaidError(error);
      var message = (error && (error.display_message || error.error_message)) || "Something went wrong. Please try again.";
      box.textContent = message;
      emit("ERROR", {
        error_type: error && error.error_type,
        error_code: error && error.error_code,
        error_message: error && error.error_message,
        view_name: state.view,
      });
    }

    function setBusy(button, busy, text) {
      state.busy = busy;
      button.disabled = busy;
      button.setAttribute("aria-busy", busy ? "true" : "false");
      button.textContent = text;
    }

    var PANES = {
      LOADING: function () {
        return {
          node: element("div", {}, [
            heading("Connecting to Plaid"),
            element("div", { role: "status" }, [element("div", { class: "pel-spinner", "aria-hidden": "true" }), element("p", { class: "pel-muted", text: "Loading…" })]),
          ]),
        };
      },

      ERROR: function () {
        var error = state.sessionError || state.lastError || {};
        var button = element("button", { type: "button", class: "pel-primary", onclick: exit, text: "Exit" });
        return {
          node: element("div", {}, [
            heading("Something went wrong"),
            element("p", { text: error.display_message || "This link has expired or is not valid. Please try again." }),
            element("p", { class: "pel-muted", text: "Error code: " + (error.error_code || "UNKNOWN") }),
            button,
          ]),
          focus: button,
        };
      },

      SELECT_INSTITUTION: function () {
        var list = element("ul", { class: "pel-list" });
        var status = element("p", { class: "pel-muted", role: "status" });
        var search = element("input", {
          type: "search",
          id: "pel-search-" + counter,
          autocomplete: "off",
          placeholder: "Bank name",
        });
        var searchTimer = null;
        function render() {
          var query = search.value.trim().toLowerCase();
          var matches = state.session.institutions.filter(function (institution) {
            return institution.name.toLowerCase().indexOf(query) !== -1;
          });
          list.replaceChildren.apply(
            list,
            matches.map(function (institution) {
              return element("li", {}, [
                element("button", { type: "button", class: "pel-bank", onclick: function () { choose(institution); } }, [
                  element("span", { class: "pel-swatch", style: "background:" + institution.primary_color, "aria-hidden": "true" }),
                  institution.name,
                ]),
              ]);
            }),
          );
          status.textContent = matches.length === 0 ? "No bank matches “" + search.value.trim() + "”." : "";
        }
        search.addEventListener("input", function () {
          render();
          clearTimeout(searchTimer);
          searchTimer = setTimeout(function () {
            emit("SEARCH_INSTITUTION", { institution_search_query: search.value.trim(), view_name: "SELECT_INSTITUTION" });
          }, 300);
        });
        function choose(institution) {
          state.institution = institution;
          emit("SELECT_INSTITUTION", { institution_id: institution.institution_id, institution_name: institution.name });
          show("CREDENTIAL");
        }
        render();
        return {
          node: element("div", {}, [
            heading("Select your bank"),
            element("p", { class: "pel-muted", text: clientName() + " uses Plaid to connect your accounts." }),
            element("label", { for: search.id, text: "Search for your bank" }),
            search,
            status,
            list,
          ]),
          focus: search,
        };
      },

      CREDENTIAL: function () {
        var update = state.session.mode === "update";
        var bank = state.institution.name;
        var username = element("input", { type: "text", id: "pel-user-" + counter, autocomplete: "username", autocapitalize: "none", spellcheck: "false", value: state.username });
        var password = element("input", { type: "password", id: "pel-pass-" + counter, autocomplete: "current-password" });
        var alert = alertBox();
        var submit = element("button", { type: "submit", class: "pel-primary", text: "Sign in" });
        var form = element("form", { novalidate: true }, [
          element("label", { for: username.id, text: "Username" }),
          username,
          element("label", { for: password.id, text: "Password" }),
          password,
          alert,
          submit,
        ]);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          if (state.busy) return;
          if (!username.value.trim() || !password.value) {
            alert.textContent = "Enter your username and password.";
            (username.value.trim() ? password : username).focus();
            return;
          }
          state.username = username.value.trim();
          state.password = password.value;
          emit("SUBMIT_CREDENTIALS", { view_name: "CREDENTIAL" });
          setBusy(submit, true, "Signing in…");
          var request = update
            ? post("/complete", { link_token: config.token, username: state.username, password: state.password, link_session_id: state.session.link_session_id })
            : post("/credentials", { link_token: config.token, institution_id: state.institution.institution_id, username: state.username, password: state.password });
          request.then(
            function (answer) {
              state.busy = false;
              state.requestId = answer.request_id;
              state.lastError = null;
              if (update) {
                state.result = answer;
                show("CONNECTED");
              } else {
                state.accounts = answer.accounts;
                show("SELECT_ACCOUNT");
              }
            },
            function (error) {
              setBusy(submit, false, "Sign in");
              state.requestId = error && error.request_id;
              showError(alert, error);
              password.value = "";
              password.focus();
            },
          );
        });
        var back = update
          ? null
          : element("button", { type: "button", class: "pel-back", onclick: function () { state.lastError = null; show("SELECT_INSTITUTION"); }, text: "← Back" });
        return {
          node: element("div", {}, [
            back,
            heading(update ? "Sign in again to " + bank : "Sign in to " + bank),
            element("p", {
              class: "pel-muted",
              text: update
                ? bank + " needs you to sign in again before " + clientName() + " can get your transactions."
                : "Enter the username and password you use at " + bank + ".",
            }),
            element("p", { class: "pel-muted", text: "Sandbox: username user_good, password pass_good." }),
            form,
          ]),
          focus: username.value ? password : username,
        };
      },

      SELECT_ACCOUNT: function () {
        var alert = alertBox();
        var boxes = state.accounts.map(function (account) {
          return element("input", { type: "checkbox", value: account.mask, checked: true });
        });
        var submit = element("button", { type: "submit", class: "pel-primary", text: "Continue" });
        var form = element("form", { novalidate: true }, [
          element(
            "fieldset",
            { class: "pel-accounts" },
            [element("legend", { text: "Accounts " + clientName() + " may see" })].concat(
              state.accounts.map(function (account, index) {
                return element("label", { class: "pel-account" }, [
                  boxes[index],
                  element("span", {}, [account.name, element("small", { text: account.subtype + " ••••" + account.mask })]),
                ]);
              }),
            ),
          ),
          alert,
          submit,
        ]);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          if (state.busy) return;
          var masks = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
          if (masks.length === 0) {
            alert.textContent = "Choose at least one account.";
            boxes[0].focus();
            return;
          }
          setBusy(submit, true, "Connecting…");
          post("/complete", {
            link_token: config.token,
            institution_id: state.institution.institution_id,
            username: state.username,
            password: state.password,
            account_masks: masks,
            link_session_id: state.session.link_session_id,
          }).then(
            function (answer) {
              state.busy = false;
              state.requestId = answer.request_id;
              state.result = answer;
              state.password = "";
              show("CONNECTED");
            },
            function (error) {
              setBusy(submit, false, "Continue");
              showError(alert, error);
            },
          );
        });
        return {
          node: element("div", {}, [
            element("button", { type: "button", class: "pel-back", onclick: function () { show("CREDENTIAL"); }, text: "← Back" }),
            heading("Choose accounts"),
            element("p", { class: "pel-muted", text: "Share only the accounts you want " + clientName() + " to see." }),
            form,
          ]),
          focus: boxes[0],
        };
      },

      CONNECTED: function () {
        var update = state.session.mode === "update";
        var bank = state.institution.name;
        var button = element("button", { type: "button", class: "pel-primary", onclick: finish, text: "Continue" });
        return {
          node: element("div", {}, [
            heading("Success"),
            element("p", {
              text: update
                ? "Your " + bank + " login works again."
                : "Your " + bank + " accounts are connected to " + clientName() + ".",
            }),
            button,
          ]),
          focus: button,
        };
      },
    };

    return {
      open: function () {
        open();
      },
      exit: function () {
        exit();
      },
      destroy: function () {
        destroy();
      },
      submit: function () {},
    };
  }

  window.Plaid = { create: create, version: "tally-emulator" };
})();
