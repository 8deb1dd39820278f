// Command course serves the example course page of examples/course on
// 127.0.0.1:8081, the way a course's own web server would: its lesson
// files may be read by the playground's page (Access-Control-Allow-Origin).
// `make course` runs it next to smtplay.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to serve the course page on")
	dir := flag.String("dir", "examples/course", "the course page's directory")
	flag.Parse()
	files := http.FileServer(http.Dir(*dir))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/lessons/") {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		files.ServeHTTP(w, r)
	})
	log.Printf("the course page is at http://%s/", *listen)
	log.Fatal(http.ListenAndServe(*listen, handler))
}
