package browser

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// chromeText is the page's own visible words: the text of every rendered
// element and its aria-label, placeholder and title, without what the
// engine, the server or the person wrote (protocol lines, explanations,
// suggestions' reasons, message contents). The diagram's title and the
// document's title are added, though not rendered.
const chromeText = `(() => {
	const skip = [
		"#transcript .line:not(.note) .text", ".explain", "#preview", "#hold-line", "#hold-warnings",
		"#caps details p", "#caps .title", "#caps code", "#caps .params", "#next button span", "#next code",
		"#auth-lines .why", "#auth-lines .wire", "#c-lines .wire", "#c-note", "#c-body", "#b64-in", "#b64-out",
		"#msg-subject", "#msg-panel pre", "#msg-panel .kv", "#inbox button", "#lang", "#target", "#tls dd",
		document.querySelector("#status").dataset.status === "open" ? "#state-text" : "#none",
	].join(", ");
	const out = [document.title, document.querySelector("#diagram-title").textContent];
	const seen = (e) => (e.closest("svg") || e).checkVisibility();
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const p = n.parentElement;
		if (n.textContent.trim() && !p.closest(skip) && !p.closest("svg title") && seen(p)) out.push(n.textContent.trim());
	}
	for (const e of document.body.querySelectorAll("[aria-label], [placeholder], [title]")) {
		if (e.closest(skip) || !seen(e)) continue;
		for (const a of ["aria-label", "placeholder", "title"]) if (e.hasAttribute(a)) out.push(e.getAttribute(a));
	}
	return out.join("\n");
})()`

// english are words of the page's chrome that must not be left in Polish.
var english = []string{
	"Connect", "Reconnect", "Disconnect", "Disconnected", "Not connected", "Connecting", "Connected to", "Loading",
	"Send", "Send anyway", "Edit the line", "Not sent yet", "Copy", "Download", "include secrets", "show secrets",
	"Transcript", "Session state", "Next steps", "Capabilities", "Helpers", "Suggestions", "Pick a server",
	"sends", "takes a suggestion", "history", "paste several lines", "select a transcript line",
	"connected", "greeted", "EHLO done", "logged in", "handshake", "closing", "closed", "MAIL again",
	"yes", "no", "off", "Mechanism", "User name", "Password", "Use the practice login", "Practice login",
	"Text or base64", "Encode", "Decode", "Review the lines", "From", "Subject", "Message", "cmd", "header", "body",
	"Sandbox inbox", "Mail you send", "No mail yet", "Lenient", "built-in sandbox", "through a proxy",
	"Type an SMTP command", "Connect first", "Dismiss", "Close", "Text", "Headers", "Raw", "Envelope",
	"Language", "Lessons", "playground", "Session", "Connection", "you", "server", "note", "expect",
}

// polish are words of the Polish chrome that must be gone in English.
var polish = []string{"Połącz", "Rozłącz", "Połączono", "Wyślij", "Kopiuj", "Pobierz", "Zapis sesji", "Stan sesji",
	"Nazwa użytkownika", "Hasło", "Skrzynka", "wysyła", "Tekst", "Nagłówki", "Koperta", "Zamknij", "po EHLO"}

// leftovers lists the words of the list found in text as whole words.
func leftovers(text string, words []string) []string {
	var found []string
	for _, w := range words {
		if regexp.MustCompile(`(^|[^\p{L}])` + regexp.QuoteMeta(w) + `($|[^\p{L}])`).MatchString(text) {
			found = append(found, w)
		}
	}
	return found
}

// The page in Polish (?lang=pl): before connecting, after EHLO with every
// helper open, with a line held, and with a delivered message open, its
// visible chrome has no English left; the language switch then turns it
// all back into English without a reload, dynamic texts included.
func TestBrowserI18nPolish(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "?lang=pl")
	noEnglish := func(when string) {
		t.Helper()
		text := b.text(chromeText)
		if found := leftovers(text, english); len(found) > 0 {
			t.Errorf("%s: English left in the Polish page: %q\nthe page's words:\n%s", when, found, text)
		}
	}
	if got := b.text(`document.documentElement.lang + " " + document.querySelector("#status-text").textContent`); got != "pl Nie połączono" {
		t.Fatalf("language and status %q", got)
	}
	noEnglish("before connecting")

	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.waitLine("server", "250 ")
	b.wait(`document.querySelector("#caps").textContent.includes("STARTTLS") && document.querySelector("#status-text").textContent === "Połączono z serwerem sandbox · po EHLO"`, "EHLO's reply, in Polish")
	b.shot("i18n-pl", look{width: 1280}, look{width: 375})
	for _, id := range []string{"auth-helper", "b64-helper", "composer"} {
		b.do(chromedp.Click(chromedp.CSS("#" + id + " summary")))
	}
	b.do(chromedp.Click(chromedp.ID("auth-demo")))
	b.wait(`document.querySelectorAll("#auth-lines li").length === 3`, "the AUTH lines")
	b.eval(`document.querySelector("#b64-in").value = "c3R1ZGVudA=="`, nil)
	b.do(chromedp.Click(chromedp.ID("b64-decode")), chromedp.Click(chromedp.ID("c-review")))
	b.wait(`document.querySelector("#b64-out").textContent === "student" && !document.querySelector("#c-send").hidden`, "the decoded text and the composed lines")
	b.do(chromedp.Click(chromedp.CSS(`#transcript li.line.server:last-child`)))
	b.wait(`document.querySelector("#transcript .explain dl")?.textContent.includes("odpowiedź na")`, "the reply explained, its terms in Polish")
	noEnglish("after EHLO, the helpers open")
	b.eval(`document.querySelector("#helpers-title").scrollIntoView()`, nil)
	b.shot("i18n-pl-helpers")

	// A line held: RCPT before MAIL.
	b.typeLine("RCPT TO:<friend@example.org>")
	b.wait(`!document.querySelector("#hold").hidden`, "the held line")
	if title := b.text(`document.querySelector("#hold-title").textContent`); title != "Jeszcze nie wysłano: ten serwer odpowie 503." {
		t.Errorf("hold title %q", title)
	}
	noEnglish("a line held")
	if badge := b.text(`document.querySelector("#hold-warnings .badge")?.textContent`); badge != "spodziewane 503" {
		t.Errorf("the warning's badge %q", badge)
	}
	b.shot("i18n-pl-hold")
	b.do(chromedp.Click(chromedp.ID("hold-edit")))
	b.clear("line")

	// A message delivered and opened.
	b.do(chromedp.Click(chromedp.ID("c-send")))
	b.waitLine("server", "250 2.0.0")
	b.wait(`document.querySelector("#inbox button") !== null`, "the message in the inbox")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#message").open && document.querySelector("#msg-panel pre") !== null`, "the message to open")
	noEnglish("the message open")
	b.shot("i18n-pl-message")

	// Back to English, without a reload: the open dialog, then the page.
	b.eval(`(() => { window.notReloaded = true; const s = document.querySelector("#lang"); s.value = "en"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
	b.wait(`document.documentElement.lang === "en" && document.querySelector("#connect").textContent === "Reconnect"`, "the page in English")
	if meta := b.text(`document.querySelector("#msg-meta").textContent + " | " + [...document.querySelectorAll("#message [role=tab]")].map((t) => t.textContent).join(" ")`); !strings.HasPrefix(meta, "From: <student@sandbox.smtplay> · Envelope: ") || !strings.HasSuffix(meta, "Text HTML Headers MIME Raw") {
		t.Errorf("the open message after the switch: %q", meta)
	}
	b.do(chromedp.Click(chromedp.ID("msg-close")))
	b.eval(`document.querySelector(".side").scrollTop = 0`, nil)
	b.shot("i18n-en-switched")
	text := b.text(chromeText)
	shown := b.text(`document.body.innerText`) // "HEADER": the composer's parts are upper-cased by CSS
	for _, want := range []string{"Reconnect", "Disconnect", "Connected to the sandbox · EHLO done", "Connected to the built-in sandbox (sandbox).",
		"Transcript", "Session state", "Copy", "include secrets", "Send", "sends", "EHLO done", "Mechanism", "User name",
		"Practice login: ", "Lenient practice server", "Sandbox inbox", "Review the lines", "HEADER"} {
		if !strings.Contains(text, want) && !strings.Contains(shown, want) {
			t.Errorf("no %q after the switch to English", want)
		}
	}
	if found := leftovers(text, polish); len(found) > 0 || regexp.MustCompile(`[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]`).MatchString(text) {
		t.Errorf("Polish left after the switch to English: %q\nthe page's words:\n%s", found, text)
	}
	if got := b.text(`String(window.notReloaded) + " " + location.search`); got != "true ?lang=en" {
		t.Errorf("after the switch: %s", got)
	}
}
