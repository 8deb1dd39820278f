// Command course serves the example course page of examples/course the way
// a course's own web server would (package site), telling the page where
// the playground is. `make course` runs it next to smtplay, each on the
// address of a variable (COURSE_LISTEN, LISTEN).
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/smtplay/smtplay/examples/course/site"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to serve the course page on")
	dir := flag.String("dir", "examples/course", "the course page's directory")
	smtplay := flag.String("smtplay", "http://127.0.0.1:8080/", "the playground's address, as the browser reaches it (the page's config.json)")
	flag.Parse()
	handler, err := site.Handler(*dir, *smtplay)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("the course page is at http://%s/, embedding the playground at %s", *listen, *smtplay)
	log.Fatal(http.ListenAndServe(*listen, handler))
}
