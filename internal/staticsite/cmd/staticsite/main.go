// Command staticsite finishes make static's build for a static host:
// `staticsite -dir build/static -embed-origins "https://course.example.edu"`
// writes embed.html and settings.json beside index.html (package
// staticsite), and prints the frame-ancestors the host should send with
// embed.html.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/smtplay/smtplay/internal/staticsite"
)

func main() {
	dir := flag.String("dir", "build/static", "the static build, as pagebuild wrote it")
	origins := flag.String("embed-origins", "", "origins whose pages may frame embed.html and send it commands, separated by spaces or commas (make static's STATIC_EMBED_ORIGINS)")
	flag.Parse()
	embedders, err := staticsite.ParseOrigins(*origins)
	if err == nil {
		err = staticsite.Finish(*dir, embedders)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "staticsite:", err)
		os.Exit(1)
	}
	if len(embedders) == 0 {
		fmt.Printf("staticsite: %s/%s takes commands from no other page (set STATIC_EMBED_ORIGINS to list course pages)\n", *dir, staticsite.Embed)
		return
	}
	fmt.Printf("staticsite: %s/%s takes commands from %v; send it with Content-Security-Policy ... %s\n",
		*dir, staticsite.Embed, embedders.Strings(), staticsite.FrameAncestors(embedders))
}
