// helmrender renders a Helm chart's templates the way `helm template` does, for tests on
// machines without Helm. It uses only Go's text/template plus the subset of Helm and Sprig
// functions in funcs.go (same names and argument order, so a template that renders here
// renders in Helm too). Values come as JSON files (convert values.yaml first), merged in
// order over each other like Helm's -f, then --set overrides.
//
//	helmrender --chart deploy/helm/strongbox --values values.json [--values more.json]
//	           [--set a.b=c] [--name RELEASE] [--namespace NS] [--strict] [--notes]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var valueFiles, sets multiFlag
	opts := Options{}
	flag.StringVar(&opts.ChartDir, "chart", "", "chart directory (holds Chart.yaml and templates/)")
	flag.Var(&valueFiles, "values", "JSON values file; repeat to merge several, later ones win")
	flag.Var(&sets, "set", "override one value: a.b.c=value (true/false/null/integers are typed)")
	flag.StringVar(&opts.ReleaseName, "name", "release-name", "release name")
	flag.StringVar(&opts.Namespace, "namespace", "default", "release namespace")
	flag.BoolVar(&opts.Strict, "strict", false, "fail on a reference to a missing value (missingkey=error)")
	flag.BoolVar(&opts.Notes, "notes", false, "also render templates/NOTES.txt")
	flag.Parse()
	if opts.ChartDir == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: helmrender --chart DIR [--values FILE.json]... [--set k=v]...")
		os.Exit(2)
	}
	values := map[string]interface{}{}
	for _, f := range valueFiles {
		v, err := readJSONValues(f)
		if err != nil {
			fail(err)
		}
		values = mergeValues(values, v)
	}
	for _, s := range sets {
		if err := applySet(values, s); err != nil {
			fail(err)
		}
	}
	opts.Values = values
	out, err := Render(opts)
	if err != nil {
		fail(err)
	}
	fmt.Print(out)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "helmrender: %v\n", err)
	os.Exit(1)
}
