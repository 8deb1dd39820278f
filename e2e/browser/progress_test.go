package browser

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// A lesson remembers its open step across a reload, and "Start again"
// sends it back to the first.
func TestBrowserLessonProgress(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "#lesson=first-email")
	b.wait(`document.querySelector(".lesson-title")?.textContent === "Your first e-mail"`, "the lesson from #lesson=")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.getElementById("status").dataset.status === "open"`, "the session to open")
	b.typeLine("EHLO localhost")
	b.wait(`document.querySelectorAll("#lesson-body .step.done").length === 1`, "the first step done")

	b.do(chromedp.Reload())
	b.wait(`document.body.dataset.ready === "true"`, "the page to be ready again")
	b.wait(`document.querySelectorAll("#lesson-body .step.done").length === 1 && document.querySelector("#lesson-body .step.current .step-title")?.textContent === "Name the sender"`, "the lesson to resume at its second step")
	b.do(chromedp.Click(chromedp.CSS(".lesson-restart")))
	b.wait(`document.querySelectorAll("#lesson-body .step.done").length === 0 && !document.querySelector(".lesson-restart")`, "the lesson back at its first step")
}

// A course's own lesson file opens in the full page too, from an origin
// the operator lists; from any other origin the panel says why not.
func TestBrowserCourseLesson(t *testing.T) {
	t.Parallel()
	course := startCourse(t)
	lesson := course.URL + "/lessons/two-recipients.md"
	_, listed := apptest.Start(t, "-lesson-origin", course.URL)
	b := openBrowser(t, listed.URL, "#lesson="+url.QueryEscape(lesson))
	b.wait(`document.querySelector(".lesson-title")?.textContent === "Homework: one message, two recipients"`, "the course's lesson")

	_, unlisted := apptest.Start(t)
	b.do(chromedp.Navigate(unlisted.URL + "/#lesson=" + url.QueryEscape(lesson)))
	b.wait(`document.body.dataset.ready === "true" && document.querySelector("#lesson-body .form-error") !== null`, "the page of a playground that lists no lesson origin to say why")
	want := "The lesson " + lesson + " could not be read: this playground loads lessons only from the servers its operator lists (-lesson-origin), and " + course.URL + " is not one of them."
	if got := b.text(`document.querySelector("#lesson-body .form-error")?.textContent || ""`); got != want {
		t.Errorf("the lesson panel says %q, want %q", got, want)
	}
}
