package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/static"
)

// openBrowser starts Chromium on the page at base+query, as newBrowser does
// on base alone.
func openBrowser(t *testing.T, base, query string) *browser {
	t.Helper()
	b := &browser{t: t, ctx: newTab(t), base: strings.TrimSuffix(base, "/") + "/"}
	b.watch()
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base+query))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	t.Cleanup(b.check)
	return b
}

// evalAsync evaluates an expression whose value is a promise.
func (b *browser) evalAsync(expr string, v any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		b.t.Fatalf("evaluating %s: %v (%s)", expr, err, raw)
	}
}

// The lesson format's checks, parsed and matched against console events in
// the page's own module: what a teacher may write, what is refused and why,
// and which events meet which check.
func TestBrowserLessonFormat(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)

	parses := map[string]string{
		`reply 250`:                   `{"kind":"reply","code":"250","to":""}`,
		`reply 2xx`:                   `{"kind":"reply","code":"2xx","to":""}`,
		`reply 250 to ehlo`:           `{"kind":"reply","code":"250","to":"EHLO"}`,
		`reply 250 to end-of-data`:    `{"kind":"reply","code":"250","to":"END-OF-DATA"}`,
		`prompt "Username:"`:          `{"kind":"prompt","text":"Username:"}`,
		`state authenticated`:         `{"kind":"state","phase":"authenticated"}`,
		`capability starttls`:         `{"kind":"capability","keyword":"STARTTLS"}`,
		`delivered`:                   `{"kind":"delivered","subject":null}`,
		`delivered subject "Cześć"`:   `{"kind":"delivered","subject":"Cześć"}`,
		`  reply 354 to DATA  `:       `{"kind":"reply","code":"354","to":"DATA"}`,
		`reply 99`:                    `error: wants a code`,
		`reply 650`:                   `error: wants a code`,
		`replies 250`:                 `error: unknown check "replies"`,
		`prompt Username:`:            `error: in quotes`,
		`state logged-in`:             `error: "state" wants one of`,
		`delivered "Hello"`:           `error: subject`,
		`capability`:                  `error: wants a keyword`,
		`Reply 250`:                   `error: is not a check`,
		`delivered subject "a" extra`: `error: subject`,
	}
	var got map[string]string
	in, _ := json.Marshal(slices.Collect(maps.Keys(parses)))
	b.evalAsync(fmt.Sprintf(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then((m) => Object.fromEntries(%s.map((c) => {
		try { return [c, JSON.stringify(m.parseCheck(c))]; } catch (e) { return [c, "error: " + e.message]; }
	})))`, in), &got)
	for c, want := range parses {
		if strings.HasPrefix(want, "error: ") {
			if !strings.HasPrefix(got[c], "error: ") || !strings.Contains(got[c], strings.TrimPrefix(want, "error: ")) {
				t.Errorf("parseCheck(%q) = %s, want an error with %q", c, got[c], strings.TrimPrefix(want, "error: "))
			}
		} else if got[c] != want {
			t.Errorf("parseCheck(%q) = %s, want %s", c, got[c], want)
		}
	}

	// Mistakes in a file name their line.
	files := map[string]string{
		"---\ntitle: T\n---\n## A\ncheck: reply 250\ncheck: reply 221\n": "line 6: this step already has a check",
		"---\ntitle: T\n---\ncheck: reply 250\n":                         "line 4: a check belongs to a step",
		"---\ntitle: T\n---\n## A\n```smtp\nEHLO x\n":                    "line 5: this ``` block is never closed",
		"---\ntitle: T\n---\n## A\n\ncheck: reply 9\n":                   "line 6: \"reply\" wants a code",
		"---\ntitle: T\nauthor: me\n---\n## A\n":                         "line 3: expected \"title:\"",
		"---\ntitle: T\n\n":                                              "line 1: the front matter has no closing ---",
		"---\nsummary: S\n---\n## A\n":                                   "line 1: the front matter needs a title:",
		"---\ntitle: T\n---\nJust prose.\n":                              "a lesson needs at least one step",
		"---\ntitle: T\n---\n## A\n```smtp\n```\n":                       "line 5: this smtp block is empty",
		"---\ntitle: T\n---\n## A\n## B\ncheck: reply 250\n":             `line 4: the step "A" needs a check`,
	}
	var errs map[string]string
	in, _ = json.Marshal(slices.Collect(maps.Keys(files)))
	b.evalAsync(fmt.Sprintf(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then((m) => Object.fromEntries(%s.map((f) => {
		try { m.parseLesson(f); return [f, "parsed"]; } catch (e) { return [f, e.message]; }
	})))`, in), &errs)
	for f, want := range files {
		if !strings.Contains(errs[f], want) {
			t.Errorf("parseLesson(%q): %q, want %q", f, errs[f], want)
		}
	}

	// A whole file: front matter, intro, steps with prose, lists, blocks and checks.
	var lesson struct {
		Title, Summary, Target string
		Intro                  []map[string]any
		Steps                  []struct {
			Title  string
			Blocks []struct {
				Type, Lang, Text string
				Lines, Items     []string
			}
			Check map[string]any
		}
	}
	src := "---\ntitle: Hello\nsummary: A test.\ntarget: sandbox-strict\n---\nIntro line one\nand two.\n\n## Greet\n\nSay it:\n\n```smtp\nEHLO a\n\n.\n```\n\n- one\n- two\n  continued\n\ncheck: reply 250 to EHLO\n\n## Read\n\n```\nshown only\n```\ncheck: state closed\n"
	b.evalAsync(fmt.Sprintf(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then((m) => m.parseLesson(%q))`, src), &lesson)
	if lesson.Title != "Hello" || lesson.Summary != "A test." || lesson.Target != "sandbox-strict" || len(lesson.Intro) != 1 || lesson.Intro[0]["text"] != "Intro line one and two." {
		t.Errorf("front matter and intro: %+v", lesson)
	}
	if len(lesson.Steps) != 2 || lesson.Steps[0].Title != "Greet" || lesson.Steps[1].Check["phase"] != "closed" || lesson.Steps[0].Check["to"] != "EHLO" {
		t.Fatalf("steps: %+v", lesson.Steps)
	}
	bl := lesson.Steps[0].Blocks
	if len(bl) != 3 || bl[0].Text != "Say it:" || bl[1].Lang != "smtp" || !slices.Equal(bl[1].Lines, []string{"EHLO a", "", "."}) || !slices.Equal(bl[2].Items, []string{"one", "two continued"}) {
		t.Errorf("blocks: %+v", bl)
	}
	if r := lesson.Steps[1].Blocks; len(r) != 1 || r[0].Lang != "" || r[0].Lines[0] != "shown only" {
		t.Errorf("plain block: %+v", r)
	}

	// Which events meet which check.
	events := []struct {
		check, event string
		want         bool
	}{
		{`reply 250 to EHLO`, `{"type":"server","session":[{"kind":"reply","reply":{"code":250,"to":"EHLO"}}],"view":{}}`, true},
		{`reply 250 to EHLO`, `{"type":"server","session":[{"kind":"reply","reply":{"code":250,"to":"MAIL"}}],"view":{}}`, false},
		{`reply 2xx`, `{"type":"server","session":[{"kind":"line"},{"kind":"reply","reply":{"code":221,"to":"QUIT"}}],"view":{}}`, true},
		{`reply 5xx`, `{"type":"server","session":[{"kind":"reply","reply":{"code":450,"to":"RCPT"}}],"view":{}}`, false},
		{`reply 354`, `{"type":"sent","view":{"state":{"phase":"data"}}}`, false},
		{`prompt "Username:"`, `{"type":"server","session":[{"kind":"prompt","prompt":{"decoded":"Username:"}}],"view":{}}`, true},
		{`prompt "Username:"`, `{"type":"server","session":[{"kind":"prompt","prompt":{"decoded":"Password:"}}],"view":{}}`, false},
		{`state authenticated`, `{"type":"queue","view":{"state":{"phase":"authenticated"}}}`, true},
		{`state authenticated`, `{"type":"status","view":{"status":"idle"}}`, false},
		{`capability STARTTLS`, `{"type":"server","view":{"capabilities":[{"keyword":"SIZE"},{"keyword":"STARTTLS"}]}}`, true},
		{`capability AUTH`, `{"type":"server","view":{"capabilities":[{"keyword":"SIZE"}]}}`, false},
		{`delivered`, `{"type":"delivered","delivered":{"subject":"x"},"view":{}}`, true},
		{`delivered subject "Hi"`, `{"type":"delivered","delivered":{"subject":"Hi there"},"view":{}}`, false},
		{`delivered subject "Hi"`, `{"type":"delivered","delivered":{"subject":"Hi"},"view":{}}`, true},
	}
	for _, e := range events {
		var ok bool
		b.evalAsync(fmt.Sprintf(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then((m) => m.met(m.parseCheck(%q), %s))`, e.check, e.event), &ok)
		if ok != e.want {
			t.Errorf("met(%s, %s) = %v", e.check, e.event, ok)
		}
	}
}

// The page's own lesson parser (lessonfile.js) reads every lesson in every
// language to the same steps with the same checks (only a Subject may be
// translated). static's TestLessonFiles and TestI18nStrings check the
// files themselves.
func TestBrowserLessonData(t *testing.T) {
	t.Parallel()
	var index struct{ Lessons []string }
	readStaticJSON(t, "lessons/index.json", &index)
	var langs map[string]string
	readStaticJSON(t, "i18n/languages.json", &langs)
	if len(index.Lessons) < 3 || langs["en"] == "" || langs["pl"] == "" {
		t.Fatalf("lessons %v, languages %v", index.Lessons, langs)
	}
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	// The shape of each file: its steps' checks, a translated Subject left out.
	var shapes map[string]string
	in, _ := json.Marshal(index.Lessons)
	codes, _ := json.Marshal(slices.Sorted(maps.Keys(langs)))
	b.evalAsync(fmt.Sprintf(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then(async (m) => {
		const out = {};
		for (const id of %s) for (const code of %s) {
			const key = code + "/" + id;
			try {
				const l = m.parseLesson(await (await fetch(new URL("lessons/" + key + ".md", document.querySelector("script[type=module]").src))).text());
				out[key] = JSON.stringify(l.steps.map((s) => s.check && { ...s.check, subject: s.check.subject && "…" })) + " " + l.target;
			} catch (e) { out[key] = "error: " + e.message; }
		}
		return out;
	})`, in, codes), &shapes)
	for _, id := range index.Lessons {
		want := shapes["en/"+id]
		if strings.HasPrefix(want, "error: ") {
			t.Errorf("lessons/en/%s.md: %s", id, want)
		}
		for code := range langs {
			if got := shapes[code+"/"+id]; got != want {
				t.Errorf("lessons/%s/%s.md: steps %s, English has %s", code, id, got, want)
			}
		}
	}
}

func readStaticJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := static.ReadJSON(name, v); err != nil {
		t.Fatal(err)
	}
}

// runLesson opens a lesson from the panel and runs it to its end with its
// own run buttons, connecting whenever the session is not open: each step
// must stay open until its lines are sent, and be marked done after. With
// all, a block of several lines goes at once ("send all"). It returns the
// number of steps.
func (b *browser) runLesson(id, title string, all bool) int {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(`[data-lesson="` + id + `"]`)))
	b.wait(`document.querySelector(".lesson-title")?.textContent === `+fmt.Sprintf("%q", title), "the lesson "+id)
	var n int
	b.eval(`document.querySelectorAll("#lesson-body .step").length`, &n)
	if n < 3 {
		b.t.Fatalf("lesson %s: %d steps", id, n)
	}
	for step := 0; step < n; step++ {
		b.wait(fmt.Sprintf(`document.querySelectorAll("#lesson-body .step.done").length === %d && document.querySelectorAll("#lesson-body .step.current").length === 1`, step), fmt.Sprintf("step %d of %s to open", step+1, id))
		if step == 4 && id == "first-email" && !all {
			b.shot("lesson", look{width: 1280}, look{width: 1024}, look{width: 375, dark: true})
		}
		var lines []string
		b.eval(`[...document.querySelectorAll(".step.current .run-line code")].map((c) => c.classList.contains("empty-line") ? "" : c.textContent)`, &lines)
		if b.text(`document.querySelector("#status").dataset.status`) != "open" {
			b.do(chromedp.Click(chromedp.ID("connect")))
			b.wait(`document.querySelector("#status").dataset.status === "open"`, "the session to open")
		}
		if all && len(lines) > 1 {
			b.do(chromedp.Click(chromedp.CSS(".step.current .run-all")))
			continue
		}
		for i, line := range lines {
			sent := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`)
			b.afterFrames()
			b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(".step.current .run-line:nth-child(%d) button", i+1))))
			if v := b.text(`document.querySelector("#line").value`); v != line {
				b.t.Fatalf("run put %q in the input, want %q", v, line)
			}
			if got := b.text(`document.querySelectorAll("#lesson-body .step.done").length + ""`); got != fmt.Sprint(step) {
				b.t.Fatalf("%s: step %d marked done before its line %q was sent", id, step+1, line)
			}
			b.typeInto("line", "\n")
			b.wait(`document.querySelectorAll("#transcript li.line.client").length > `+sent, "the line "+line+" to be sent")
		}
	}
	b.wait(fmt.Sprintf(`document.querySelectorAll("#lesson-body .step.done").length === %d && document.querySelector(".lesson-complete") !== null`, n), "the lesson "+id+" to be complete")
	return n
}

// Lesson 2, "Your first e-mail", run to its end by its own run buttons, in
// English (the browser's language) and in Polish (?lang=pl): every step is
// marked done only when its check is met, and the message arrives in the
// inbox. In English the message goes line by line, in Polish all at once;
// then the switch turns the finished lesson into Polish, progress kept.
func TestBrowserLessonFirstEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, query, subject, heading, title string
		all                                  bool
	}{
		{"en", "", "My first e-mail", "Lessons", "Your first e-mail", false},
		{"pl", "?lang=pl", "Pierwszy e-mail", "Lekcje", "Twój pierwszy e-mail", true},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			_, hs := apptest.Start(t)
			b := openBrowser(t, hs.URL, tc.query)
			if got := b.text(`document.documentElement.lang + " " + document.querySelector("#lang").value`); got != tc.lang+" "+tc.lang {
				t.Fatalf("language %q, want %s", got, tc.lang)
			}
			var index struct{ Lessons []string }
			readStaticJSON(t, "lessons/index.json", &index)
			b.do(chromedp.Click(chromedp.ID("lessons-toggle")))
			b.wait(fmt.Sprintf(`document.querySelectorAll(".lesson-item").length === %d`, len(index.Lessons)), "the list of lessons")
			if h := b.text(`document.querySelector("#lesson-heading").textContent + " | " + document.querySelector("#state-title").textContent`); !strings.HasPrefix(h, tc.heading+" | ") || strings.HasSuffix(h, "| ") {
				t.Errorf("headings %q, want the panel's %q", h, tc.heading)
			}
			if tc.lang == "en" {
				b.shot("lessons-list", look{width: 1280}, look{width: 375})
			}
			b.do(chromedp.Click(chromedp.CSS(`[data-lesson="first-email"]`)))
			b.wait(`document.querySelector(".step.current button.run") !== null`, "the first step")
			if b.text(`String(document.querySelector(".step.current button.run").disabled)`) != "true" {
				t.Error("run buttons work before the session is open")
			}
			for _, section := range []string{"2.3.1", "3.3"} { // "RFC 5321 §2.3.1, §3.3" links both
				if b.text(`String(document.querySelector('#lesson-body a[href="https://www.rfc-editor.org/rfc/rfc5321#section-`+section+`"]') !== null)`) != "true" {
					t.Errorf("no link to RFC 5321 §%s", section)
				}
			}
			b.do(chromedp.Click(chromedp.CSS(".lesson-back")))
			n := b.runLesson("first-email", tc.title, tc.all)
			b.waitLine("server", "221 ")
			b.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === `+fmt.Sprintf("%q", tc.subject)+`)`, "the message in the inbox")
			if tc.lang == "pl" {
				b.shot("lesson-pl", look{width: 1280}, look{width: 375})
				return
			}
			// The switch: the lesson in Polish, every step still done, the address kept.
			b.eval(`(() => { const s = document.querySelector("#lang"); s.value = "pl"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
			b.wait(`document.querySelector(".lesson-title")?.textContent === "Twój pierwszy e-mail" && document.querySelector("#lesson-heading").textContent === "Lekcje" && document.documentElement.lang === "pl"`, "the lesson in Polish")
			if done := b.text(`document.querySelectorAll("#lesson-body .step.done").length + " " + location.search`); done != fmt.Sprintf("%d ?lang=pl", n) {
				t.Errorf("after the switch: %s", done)
			}
			if note := b.text(`document.querySelector(".lesson-note").textContent`); !strings.Contains(note, "po angielsku") {
				t.Errorf("no note that explanations stay English: %q", note)
			}
		})
	}
}

// The other built-in lessons run to their end too: Hello SMTP, and AUTH
// LOGIN then AUTH PLAIN over two sessions (?lesson= opens one directly).
func TestBrowserLessonsRun(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "?lesson=hello-smtp")
	b.wait(`!document.querySelector("#lesson-panel").hidden && document.querySelector(".lesson-title")?.textContent === "Hello SMTP"`, "?lesson= to open the lesson")
	b.do(chromedp.Click(chromedp.CSS(".lesson-back")))
	b.runLesson("hello-smtp", "Hello SMTP", false)
	b.do(chromedp.Click(chromedp.CSS(".lesson-complete button")))
	b.wait(`document.querySelector(".lesson-title")?.textContent === "Your first e-mail"`, "the next lesson")
	b.do(chromedp.Click(chromedp.CSS(".lesson-back")))
	b.wait(`document.querySelector('[data-lesson="hello-smtp"] .lesson-done') !== null`, "the finished lesson marked in the list")
	b.runLesson("auth-login", "AUTH LOGIN and base64", false)
	transcript := b.text(`document.querySelector("#transcript").textContent`)
	if strings.Contains(transcript, "AHN0dWRlbnQAcHJhY3RpY2U=") || !strings.Contains(transcript, "235 ") {
		t.Errorf("AUTH PLAIN not masked, or no 235:\n%s", transcript)
	}
}

// Every built-in lesson, in every language of the page (English and
// Polish), completed the way a student completes it: ?lang=…&lesson=…
// opens it, and each step is done
// with its own buttons only. A line is put in the input by its run button
// and sent with Enter; a block of several lines goes by "Send all these
// lines"; a line the page holds because it expects an error reply is sent
// with "Send anyway" (the lessons that provoke errors say so); a step that
// finds the session closed (the first one, or one after QUIT) presses
// Connect. A step whose check is never met fails the test with the lesson,
// the language and the step. One browser runs them all, one after another.
func TestBrowserLessonsComplete(t *testing.T) {
	t.Parallel()
	var index struct{ Lessons []string }
	readStaticJSON(t, "lessons/index.json", &index)
	var langs map[string]string
	readStaticJSON(t, "i18n/languages.json", &langs)
	codes := slices.Sorted(maps.Keys(langs))
	_, hs := apptest.Start(t, "-sessions-per-minute", "1000", "-sessions-per-ip", "100")
	b := openBrowser(t, hs.URL, "")
	start := time.Now()
	for _, code := range codes {
		for _, id := range index.Lessons {
			lf, err := static.ReadLesson(code, id)
			if err != nil {
				t.Errorf("lessons/%s/%s.md: %v", code, id, err)
				continue
			}
			t.Run(code+"/"+id, func(t *testing.T) {
				parent := b.t
				b.t = t
				defer func() { b.t = parent }()
				began := time.Now()
				b.completeLesson(code, id, lf)
				t.Logf("%d steps in %v", len(lf.Steps), time.Since(began).Round(time.Millisecond))
			})
		}
	}
	t.Logf("%d lessons in %d languages in %v", len(index.Lessons), len(codes), time.Since(start).Round(time.Millisecond))
}

// completeLesson opens a lesson on a fresh page (progress forgotten) and
// runs it to its end as a student does.
func (b *browser) completeLesson(code, id string, lf static.Lesson) {
	b.t.Helper()
	where := fmt.Sprintf("lesson %s (%s)", id, code)
	b.eval(`localStorage.clear(), sessionStorage.clear(), true`, nil)
	b.do(chromedp.Navigate(b.base + "?lang=" + code + "&lesson=" + id))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	b.wait(`document.querySelector("#lesson-body .step.current") !== null && document.querySelectorAll("#lesson-body .step.done").length === 0`, where+" to open at its first step")
	if got := b.text(`document.documentElement.lang + " " + document.querySelector(".lesson-title").textContent`); got != code+" "+lf.Title {
		b.t.Fatalf("%s: the page shows %q, want %q", where, got, code+" "+lf.Title)
	}
	if lf.Target != "" {
		if got := b.text(`document.querySelector("#target").value`); got != lf.Target {
			b.t.Errorf("%s: the server list shows %q, want the lesson's target %q", where, got, lf.Target)
		}
	}
	var n int
	b.eval(`document.querySelectorAll("#lesson-body .step").length`, &n)
	if n != len(lf.Steps) {
		b.t.Fatalf("%s: the panel shows %d steps, the file has %d", where, n, len(lf.Steps))
	}
	for i, st := range lf.Steps {
		step := fmt.Sprintf("%s, step %d %q", where, i+1, st.Title)
		b.wait(fmt.Sprintf(`document.querySelectorAll("#lesson-body .step.done").length === %d && document.querySelector("#lesson-body .step.current") !== null`, i), step+" to open")
		// Number the open step's run buttons, so that they can be clicked
		// as a person clicks them (before Connect: a step may be done by
		// connecting alone).
		var blocks [][]string
		b.eval(`[...document.querySelectorAll("#lesson-body .step.current .run-block")].map((block, k) => {
			const all = block.querySelector(".run-all");
			if (all) all.dataset.testRun = k + "-all";
			return [...block.querySelectorAll(".run-line")].map((line, j) => {
				line.querySelector("button.run").dataset.testRun = k + "-" + j;
				const c = line.querySelector("code");
				return c.classList.contains("empty-line") ? "" : c.textContent;
			});
		})`, &blocks)
		if fmt.Sprint(blocks) != fmt.Sprint(st.Blocks) {
			b.t.Fatalf("%s: the panel shows the lines %q, the file has %q", step, blocks, st.Blocks)
		}
		b.openSession(step)
		if len(blocks) > 0 && b.text(`document.querySelectorAll("#lesson-body .step.done").length + ""`) != fmt.Sprint(i) {
			b.t.Fatalf("%s: marked done on connecting, before its lines were sent", step)
		}
		for k, lines := range blocks {
			if len(lines) > 1 {
				b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-test-run="%d-all"]`, k))))
				continue
			}
			sent := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`)
			b.afterFrames()
			b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-test-run="%d-0"]`, k))))
			if v := b.text(`document.querySelector("#line").value`); v != lines[0] {
				b.t.Fatalf("%s: run put %q in the input, want %q", step, v, lines[0])
			}
			if got := b.text(`document.querySelectorAll("#lesson-body .step.done").length + ""`); got != fmt.Sprint(i) {
				b.t.Fatalf("%s: marked done before its line %q was sent", step, lines[0])
			}
			b.typeInto("line", "\n")
			if code == "pl" && id == "reply-codes" && i == 3 { // mid-way, a line held for "Send anyway"
				b.wait(`!document.querySelector("#hold").hidden`, step+": the line to be held")
				b.shot("lesson-reply-codes-pl", look{width: 1280}, look{width: 375})
			}
			b.settle(`document.querySelectorAll("#transcript li.line.client").length > `+sent, step+": the line "+lines[0]+" was never sent")
		}
		b.settle(fmt.Sprintf(`document.querySelectorAll("#lesson-body .step.done").length > %d`, i),
			fmt.Sprintf("%s: its check %q was never met", step, st.Check))
		if id == "pipelining" && i == 1 {
			b.checkPipelined(step)
		}
	}
	b.wait(fmt.Sprintf(`document.querySelectorAll("#lesson-body .step.done").length === %d && document.querySelector(".lesson-complete") !== null`, len(lf.Steps)), where+" to say it is complete")
}

// openSession presses Connect when the session is not open, or is closing
// after QUIT: what a step that finds no session needs first.
func (b *browser) openSession(step string) {
	b.t.Helper()
	state := `document.querySelector("#status").dataset.status + " " + (document.querySelector("#diagram .current")?.dataset.phase || "")`
	switch s := b.text(state); {
	case s == "open closing" || s == "open closed":
		b.wait(`document.querySelector("#status").dataset.status !== "open"`, step+": the closing session to close")
	case strings.HasPrefix(s, "open "):
		return
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.querySelector("#status").dataset.status === "open"`, step+": the session to open")
}

// settle waits until cond holds, pressing "Send anyway" each time the page
// holds a line, as a student told to do so would. It fails with what, the
// panel's words and the transcript.
func (b *browser) settle(cond, what string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		var s string
		b.eval(`(`+cond+`) ? "done" : !document.querySelector("#hold").hidden ? "hold" : ""`, &s)
		switch {
		case s == "done":
			return
		case s == "hold":
			b.do(chromedp.Click(chromedp.ID("hold-send")))
		case time.Now().After(deadline):
			b.t.Fatalf("%s (the panel says %q)\ntranscript:\n%s", what, b.text(`document.querySelector("#lesson-body .step-wait")?.textContent || ""`), b.transcript())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// checkPipelined: after "Send all these lines" in lesson 8 the transcript
// shows what the lesson says: the four commands, then their four replies
// in the same order.
func (b *browser) checkPipelined(step string) {
	b.t.Helper()
	var lines []string
	b.eval(`[...document.querySelectorAll("#transcript li.line.client, #transcript li.line.server")].slice(-8).map((l) => (l.classList.contains("client") ? "C " : "S ") + l.textContent)`, &lines)
	want := []string{"C MAIL FROM:", "C RCPT TO:<friend@", "C RCPT TO:<unknown@", "C DATA", "S 250", "S 250", "S 550", "S 354"}
	ok := len(lines) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.Contains(lines[i], want[i][2:]) && lines[i][:2] == want[i][:2]
	}
	if !ok {
		b.t.Errorf("%s: the transcript ends with %q, want the four commands, then their replies: %q", step, lines, want)
	}
}
