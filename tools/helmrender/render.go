package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
)

// Options says what to render.
type Options struct {
	ChartDir    string
	Values      map[string]interface{}
	ReleaseName string
	Namespace   string
	Strict      bool // missingkey=error, as `helm lint --strict`
	Notes       bool // render templates/NOTES.txt too
}

// versionSet is .Capabilities.APIVersions; Has is what templates call.
type versionSet []string

func (v versionSet) Has(apiVersion string) bool {
	for _, s := range v {
		if s == apiVersion {
			return true
		}
	}
	return false
}

// readChart reads the top-level scalars of Chart.yaml (apiVersion, name, version, ...), the
// only part templates read through .Chart; nested fields (maintainers, dependencies) are
// skipped. Keys get Helm's field names: name -> Name, apiVersion -> APIVersion.
func readChart(dir string) (map[string]interface{}, error) {
	f, err := os.Open(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	chart := map[string]interface{}{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == ' ' || line[0] == '#' || line[0] == '-' {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("Chart.yaml: cannot read line %q", line)
		}
		val = strings.TrimSpace(val)
		if i := strings.Index(val, " #"); i >= 0 {
			val = strings.TrimSpace(val[:i])
		}
		val = strings.Trim(val, `"'`)
		name := strings.ToUpper(key[:1]) + key[1:]
		if key == "apiVersion" {
			name = "APIVersion"
		}
		chart[name] = val
	}
	if chart["Name"] == nil || chart["Version"] == nil {
		return nil, fmt.Errorf("Chart.yaml needs name and version")
	}
	return chart, sc.Err()
}

// Render returns the manifests as `helm template` prints them: for each template file
// (sorted by path, partials starting with '_' skipped) whose output is not blank,
// "---\n# Source: CHART/templates/FILE\n" and the output.
func Render(opts Options) (string, error) {
	chart, err := readChart(opts.ChartDir)
	if err != nil {
		return "", err
	}
	chartName := chart["Name"].(string)
	tdir := filepath.Join(opts.ChartDir, "templates")
	var files []string
	err = filepath.WalkDir(tdir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)

	root := template.New("gotpl")
	if opts.Strict {
		root.Option("missingkey=error")
	} else {
		root.Option("missingkey=zero")
	}
	depth := map[string]int{}
	fm := funcMap()
	fm["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 100 {
			return "", fmt.Errorf("include %q: too deeply nested", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var b strings.Builder
		err := root.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	root.Funcs(fm)

	var names []string
	for _, f := range files {
		rel, _ := filepath.Rel(tdir, f)
		name := path.Join(chartName, "templates", filepath.ToSlash(rel))
		text, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		if _, err := root.New(name).Parse(string(text)); err != nil {
			return "", err
		}
		names = append(names, name)
	}

	top := map[string]interface{}{
		"Values": opts.Values,
		"Chart":  chart,
		"Release": map[string]interface{}{
			"Name": opts.ReleaseName, "Namespace": opts.Namespace, "Service": "Helm",
			"IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{
				"Version": "v1.28.0", "Major": "1", "Minor": "28", "GitVersion": "v1.28.0"},
			"APIVersions": versionSet{"v1", "apps/v1", "policy/v1", "networking.k8s.io/v1"},
		},
	}
	var out strings.Builder
	for _, name := range names {
		base := path.Base(name)
		if strings.HasPrefix(base, "_") || (base == "NOTES.txt" && !opts.Notes) {
			continue
		}
		vals := make(map[string]interface{}, len(top)+1)
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{
			"Name": name, "BasePath": path.Join(chartName, "templates")}
		var b strings.Builder
		if err := root.ExecuteTemplate(&b, name, vals); err != nil {
			return "", err
		}
		text := b.String()
		if !opts.Strict {
			text = strings.ReplaceAll(text, "<no value>", "")
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", name, strings.TrimRight(text, "\n"))
	}
	return out.String(), nil
}
