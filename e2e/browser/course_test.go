package browser

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/examples/course/site"
)

// newCourse returns the course's web server, not started: its address
// is known (for smtplay's -allow-origin), and serveCourse starts it.
func newCourse(t *testing.T) *httptest.Server {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	t.Cleanup(hs.Close)
	return hs
}

// serveCourse serves examples/course on hs with its own server (package
// site), which tells the page where the playground is (config.json).
func serveCourse(t *testing.T, hs *httptest.Server, smtplay string) {
	t.Helper()
	h, err := site.Handler("../../examples/course", smtplay)
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = h
	hs.Start()
}

// startCourse serves examples/course as `make course` does by default,
// for a test that needs only its lesson files.
func startCourse(t *testing.T) *httptest.Server {
	t.Helper()
	hs := newCourse(t)
	serveCourse(t, hs, "http://127.0.0.1:8080/")
	return hs
}

// openCourse opens the example course page at the address page and waits
// for both playgrounds to say they are ready.
func openCourse(t *testing.T, page string) *browser {
	t.Helper()
	b := &browser{t: t, ctx: newTab(t)}
	b.watch()
	b.do(chromedp.EmulateViewport(1200, 900), chromedp.Navigate(page))
	b.wait(`document.querySelectorAll("#log li[data-type=ready]").length === 2`, "both playgrounds to be ready")
	b.base = b.text(`new URL("embed", document.getElementById("codes").src).href.replace(/embed$/, "")`)
	t.Cleanup(b.check)
	return b
}

// logged waits for a line of the course page's log, which it writes from
// the playgrounds' messages.
func (b *browser) logged(frame, text string) {
	b.t.Helper()
	b.wait(fmt.Sprintf(`[...document.querySelectorAll("#log li[data-frame=%s]")].some((l) => l.textContent.includes(%q))`, frame, text), fmt.Sprintf("[%s] %s in the course page's log", frame, text))
}

// tell posts a command to a playground from the course page, as its own
// script does.
func (b *browser) tell(frame string, command map[string]any) {
	b.t.Helper()
	command["smtplay"] = 1
	b.eval(fmt.Sprintf(`document.getElementById(%q).contentWindow.postMessage(%s, new URL(%q).origin), true`, frame, mustJSON(b.t, command), b.base), nil)
}

// The example course page embeds two playgrounds from another origin and
// talks to them both ways: the homework frame opens the course's own
// lesson file (-lesson-origin), and the whole lesson is done by commands
// from the course page, each step reported back; the buttons drive the
// second frame; a command from a frame that is not the parent is ignored,
// and a lesson from an origin nobody listed is refused in a sentence.
func TestBrowserCoursePage(t *testing.T) {
	t.Parallel()
	course := newCourse(t)
	origin := "http://" + course.Listener.Addr().String()
	_, hs := apptest.Start(t, "-allow-origin", origin, "-lesson-origin", origin)
	serveCourse(t, course, hs.URL)
	b := openCourse(t, course.URL+"/")
	b.logged("homework", "ready: lesson “Homework: one message, two recipients”, 0 of 6 steps done")

	// The buttons of the course page drive the dark playground.
	click := func(label string) {
		b.eval(fmt.Sprintf(`[...document.querySelectorAll("button[data-send]")].find((b) => b.textContent.trim() === %q).click(), true`, label), nil)
	}
	click("Connect")
	b.logged("codes", "connected to sandbox")
	b.logged("codes", "reply 220 to greeting")
	click("Run EHLO")
	b.logged("codes", "reply 250 to EHLO")

	// The homework lesson, done through commands, step by step.
	b.tell("homework", map[string]any{"type": "connect"})
	b.logged("homework", "connected to sandbox")
	steps := []struct{ lines []string }{
		{[]string{"EHLO lab-pc"}},
		{[]string{"MAIL FROM:<student@sandbox.smtplay>"}},
		{[]string{"RCPT TO:<partner@example.org>"}},
		{[]string{"RCPT TO:<teacher@example.org>"}},
		{[]string{"DATA"}},
	}
	for i, s := range steps {
		for _, l := range s.lines {
			b.tell("homework", map[string]any{"type": "run-line", "line": l})
		}
		b.logged("homework", fmt.Sprintf("step %d of 6 done", i+1))
	}
	for _, l := range []string{"From: Student <student@sandbox.smtplay>", "To: Partner <partner@example.org>", "Cc: Teacher <teacher@example.org>", "Subject: Lab 5 report", "", "The measurements are in the shared folder.", "."} {
		b.tell("homework", map[string]any{"type": "run-line", "line": l})
	}
	b.logged("homework", "delivered “Lab 5 report” to partner@example.org, teacher@example.org")
	b.logged("homework", "lesson “Homework: one message, two recipients” complete")

	// Each step is reported right after the reply (or the delivery) that
	// completed it, and the phase it moved to: never before its cause.
	var order []string
	b.eval(`[...document.querySelectorAll("#log li[data-frame=homework]")].map((l) => l.textContent)`, &order)
	log := strings.Join(order, "\n")
	reported := 0
	for i, l := range order {
		if !strings.Contains(l, " done in “") && !strings.HasSuffix(l, " complete") {
			continue
		}
		reported++
		cause := "] reply "
		if strings.HasSuffix(l, " complete") {
			cause = "] delivered "
		}
		j := i - 1
		for j >= 0 && (strings.Contains(order[j], "] now ") || strings.Contains(order[j], "] the server offers ")) {
			j-- // what the same reply changed comes between
		}
		if j < 0 || !strings.Contains(order[j], cause) {
			t.Errorf("%q is not reported right after the%s that caused it:\n%s", l, strings.TrimPrefix(cause, "]"), log)
		}
	}
	if reported != 6 {
		t.Errorf("%d steps reported, want 6:\n%s", reported, log)
	}
	if i, j := slices.IndexFunc(order, func(l string) bool { return strings.Contains(l, "reply 250 to EHLO") }), slices.IndexFunc(order, func(l string) bool { return strings.Contains(l, "step 1 of 6 done") }); i < 0 || j < i {
		t.Errorf("step 1 (EHLO) reported at %d, its reply at %d:\n%s", j, i, log)
	}

	// Commands that cannot be carried out are answered with a sentence.
	b.tell("codes", map[string]any{"type": "load-lesson", "lesson": "https://elsewhere.example/lesson.md"})
	b.logged("codes", "refused load-lesson: this playground loads lessons only from the servers its operator lists (-lesson-origin), and https://elsewhere.example is not one of them.")
	b.tell("codes", map[string]any{"type": "run-line", "line": "NOOP\r\nQUIT"})
	b.logged("codes", "refused run-line: line must be one line, without CR or LF")
	b.tell("codes", map[string]any{"type": "erase"})
	b.logged("codes", `refused erase: unknown command "erase"`)
	b.tell("codes", map[string]any{"type": "load-lesson", "lesson": "first-email"})
	b.logged("codes", "opened the lesson “Your first e-mail”, 0 of 6 steps done")

	// A frame of another origin inside the course page posts to the
	// playground: it is not the playground's parent, so nothing happens.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<script>
			parent.frames[1].postMessage({smtplay: 1, type: "run-line", line: "QUIT"}, "*");
			setTimeout(() => parent.postMessage("evil-done", "*"), 300);
		</script>`)
	}))
	defer evil.Close()
	b.eval(fmt.Sprintf(`window.evilDone = false; addEventListener("message", (e) => { if (e.data === "evil-done") evilDone = true; });
		document.body.append(Object.assign(document.createElement("iframe"), {src: %q})), true`, evil.URL), nil)
	b.wait(`window.evilDone`, "the foreign frame to have posted")
	b.tell("codes", map[string]any{"type": "run-line", "line": "NOOP"})
	b.logged("codes", "reply 250 2.0.0 to NOOP")
	if log := b.text(`document.getElementById("log").textContent`); strings.Contains(log, "to QUIT") || strings.Contains(log, "closed") {
		t.Errorf("a frame that is not the parent made the playground send QUIT:\n%s", log)
	}

	// A line the engine expects to fail waits for the person, whoever typed it.
	click("Run RCPT before MAIL")
	b.logged("codes", "held a RCPT line for the person to decide: rcpt-before-mail, expecting 503")

	// The reply-codes frame was not asked to share: nothing typed reached
	// the course page. The homework frame was (share=lines), and it says so.
	var leaks []string
	b.eval(`received.filter((m) => m.frame === "codes" && /friend@|example\.org|localhost/.test(JSON.stringify(m))).map((m) => JSON.stringify(m))`, &leaks)
	if len(leaks) > 0 {
		t.Errorf("the reply-codes frame posted what was typed:\n%s", strings.Join(leaks, "\n"))
	}
	b.logged("homework", "reply 250 2.1.0 to MAIL: ")
	b.shot("course-page")
}

// The course page finds the playground in ?smtplay= before config.json,
// and without either says what to do instead of guessing.
func TestBrowserCourseSetup(t *testing.T) {
	t.Parallel()
	course := newCourse(t)
	origin := "http://" + course.Listener.Addr().String()
	_, hs := apptest.Start(t, "-allow-origin", origin, "-lesson-origin", origin)
	serveCourse(t, course, "http://127.0.0.1:9/") // nobody there: the query must win
	b := openCourse(t, course.URL+"/?smtplay="+hs.URL+"/")
	if !strings.HasPrefix(b.base, hs.URL+"/") {
		t.Errorf("the frames load %s, want the playground of ?smtplay= (%s)", b.base, hs.URL)
	}

	bare := httptest.NewServer(http.FileServer(http.Dir("../../examples/course"))) // no config.json
	defer bare.Close()
	b.do(chromedp.Navigate(bare.URL + "/"))
	b.wait(`document.querySelector("#log li[data-type=setup]") !== null`, "the page to say it does not know where smtplay is")
	if got := b.text(`document.querySelector("#log li[data-type=setup]").textContent`); !strings.Contains(got, "This page does not know where smtplay is (config.json: 404") || !strings.Contains(got, "add ?smtplay=") {
		t.Errorf("the page says %q", got)
	}
	b.mu.Lock()
	b.exceptions = nil // the module stops there, on purpose
	b.mu.Unlock()
}

// /embed alone: the compact page, themed by its fragment, with a link to
// the full playground; opened by nobody, it posts no message.
func TestBrowserEmbedAlone(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "embed#theme=dark&lang=pl&target=sandbox-strict")
	var got struct {
		Embed, Full, Theme, Lang, Target, Background string
	}
	b.eval(`({embed: String(document.documentElement.classList.contains("embed")), full: document.getElementById("open-full").hidden ? "" : document.getElementById("open-full").getAttribute("href"),
		theme: document.documentElement.dataset.theme || "", lang: document.documentElement.lang, target: document.getElementById("target").value,
		background: getComputedStyle(document.body).backgroundColor})`, &got)
	want := struct{ Embed, Full, Theme, Lang, Target, Background string }{"true", "./#theme=dark&lang=pl&target=sandbox-strict", "dark", "pl", "sandbox-strict", "rgb(15, 20, 25)"}
	if got != want {
		t.Errorf("/embed#theme=dark&lang=pl&target=sandbox-strict:\n got %+v\nwant %+v", got, want)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
