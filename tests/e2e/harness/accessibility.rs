//! The accessibility checks every page of the browser tests passes before
//! its screenshot is taken.

use super::browser::Browser;

/// Every field of the page has a label, every button and link a name.
pub async fn assert_labelled(b: &Browser, name: &str) {
    let script = "var bad = [];
        document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(function (e) {
            if (!e.labels || e.labels.length === 0) { bad.push(e.name || e.id); }
        });
        document.querySelectorAll('button, a').forEach(function (e) {
            if (!e.textContent.trim() && !e.getAttribute('aria-label')) { bad.push(e.outerHTML.slice(0, 80)); }
        });
        return bad;";
    let bad = b.execute(script, vec![]).await.unwrap();
    assert_eq!(bad, serde_json::json!([]), "{name}: without a label or a name");
}

/// axe-core (MPL-2.0, tests/assets/): the accessibility rules, injected
/// into the page under test through WebDriver; the app never serves it.
pub const AXE: &str = include_str!("../../assets/axe.min.js");

/// No violation of the WCAG 2.0/2.1 A and AA rules axe-core checks
/// (contrast, labels, names, landmarks); no sideways scroll at 360 px; no
/// positive tabindex; every control reached by Tab, with a visible focus
/// style; inputs and buttons at least 44 px tall on a narrow screen.
pub async fn assert_accessible(b: &Browser, name: &str) {
    b.execute(&format!("{AXE}\n;return typeof axe;"), vec![]).await.unwrap();
    // The one thing left out: the idle lock's refresh in `<noscript>`, a
    // security timeout (the keys are gone; the page must not stay on an
    // unattended screen) whose length the person sets (`--idle-lock`).
    // Every other refresh is still checked.
    // The pages run without script here: the page's timers never fire,
    // so axe's are turned into microtasks, which do.
    let run = "var done = arguments[arguments.length - 1];
        window.setTimeout = function (f) { var a = [].slice.call(arguments, 2); Promise.resolve().then(function () { f.apply(null, a); }); return 0; };
        window.clearTimeout = function () {};
        window.requestAnimationFrame = function (f) { Promise.resolve().then(function () { f(0); }); return 0; };
        window.requestIdleCallback = function (f) { Promise.resolve().then(function () { f({ timeRemaining: function () { return 50; }, didTimeout: false }); }); return 0; };
        axe.run({ exclude: [['noscript']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
            .then(function (r) {
                done(r.violations.map(function (v) {
                    return v.id + ': ' + v.help + ' at ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                }));
            })
            .catch(function (e) { done(['axe failed: ' + e]); });";
    let violations = b.execute_async(run, vec![]).await.unwrap();
    assert_eq!(violations, serde_json::json!([]), "{name}: accessibility violations");
    let positive = "return Array.prototype.map.call(document.querySelectorAll('[tabindex]'), function (e) {
            return e.tabIndex > 0 ? e.outerHTML.slice(0, 80) : null; }).filter(function (x) { return x; });";
    assert_eq!(b.execute(positive, vec![]).await.unwrap(), serde_json::json!([]), "{name}: a positive tabindex");
    // Tab from the top: every control is reached, each with a visible focus
    // (but for those taken out of the order on purpose, tabindex=-1).
    let controls = "window.__controls = Array.prototype.filter.call(
            document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary'),
            function (e) { return !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0; });
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
        return window.__controls.length;";
    let count = b.execute(controls, vec![]).await.unwrap().as_u64().unwrap();
    let focused = "var e = document.activeElement, i = window.__controls.indexOf(e);
        if (i < 0) { return [-1, e ? e.outerHTML.slice(0, 80) : '']; }
        var s = getComputedStyle(e);
        var visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
        return [i, visible ? '' : e.outerHTML.slice(0, 80)];";
    let mut reached = std::collections::BTreeSet::new();
    let mut no_focus_style = Vec::new();
    for _ in 0..count + 3 {
        use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
        let tab = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: '\u{E004}' })
            .then(KeyAction::Up { value: '\u{E004}' });
        b.perform_actions(tab).await.unwrap();
        let answer = b.execute(focused, vec![]).await.unwrap();
        let (i, bad) = (answer[0].as_i64().unwrap(), answer[1].as_str().unwrap().to_owned());
        if i >= 0 {
            reached.insert(i);
            if !bad.is_empty() {
                no_focus_style.push(bad);
            }
        }
        if reached.len() as u64 == count {
            break;
        }
    }
    assert_eq!(reached.len() as u64, count, "{name}: {} controls not reached by Tab", count - reached.len() as u64);
    assert!(no_focus_style.is_empty(), "{name}: no visible focus: {no_focus_style:?}");
    b.execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);", vec![]).await.unwrap();
    // A narrow phone: no sideways scroll, controls big enough to touch.
    b.set_window_size(360, 800).await.unwrap();
    let narrow = "var small = Array.prototype.filter.call(
            document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, button, textarea'),
            function (e) { return e.getClientRects().length > 0 && e.getBoundingClientRect().height < 44; })
            .map(function (e) { return e.outerHTML.slice(0, 80); });
        var sideways = Array.prototype.filter.call(document.querySelectorAll('body *'), function (e) {
            var o = getComputedStyle(e).overflowX;
            return (o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth + 1;
        }).map(function (e) { return e.outerHTML.slice(0, 80); });
        return [document.documentElement.scrollWidth, window.innerWidth, small, sideways];";
    let answer = b.execute(narrow, vec![]).await.unwrap();
    let (scroll, width) = (answer[0].as_u64().unwrap(), answer[1].as_u64().unwrap());
    assert!(scroll <= width, "{name}: at {width} px the page scrolls sideways ({scroll} px wide)");
    assert_eq!(answer[2], serde_json::json!([]), "{name}: controls under 44 px tall at {width} px");
    assert_eq!(answer[3], serde_json::json!([]), "{name}: a part that scrolls sideways at {width} px");
    b.set_window_size(1200, 900).await.unwrap();
}

/// Every URL of the page (links, forms, buttons' targets, scripts, style
/// sheets, the draft's address) is under the pages' secret prefix, the
/// first part of the page's own path, or within the page; and the style
/// sheet was loaded from there.
pub async fn assert_under_the_prefix(b: &Browser, name: &str) {
    let script = "var base = '/' + location.pathname.split('/')[1] + '/';
        var bad = [];
        if (base.length !== 45) { bad.push('the page is not under a prefix: ' + location.pathname); }
        document.querySelectorAll('[href], [src], [action], [formaction], [data-draft]').forEach(function (e) {
            ['href', 'src', 'action', 'formaction', 'data-draft'].forEach(function (a) {
                var v = e.getAttribute(a);
                if (v !== null && v.indexOf(base) !== 0 && v.charAt(0) !== '#') { bad.push(a + '=' + v); }
            });
        });
        var sheets = Array.prototype.filter.call(document.styleSheets, function (s) {
            return s.href && new URL(s.href).pathname === base + 'assets/style.css' && s.cssRules.length > 20;
        });
        if (sheets.length !== 1) { bad.push('the style sheet did not load'); }
        return bad;";
    let bad = b.execute(script, vec![]).await.unwrap();
    assert_eq!(bad, serde_json::json!([]), "{name}: outside the prefix");
}
