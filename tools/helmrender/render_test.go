package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestToYAML(t *testing.T) {
	v := map[string]interface{}{
		"b": []interface{}{"x", map[string]interface{}{"k": 1.0, "j": "yes"}, []interface{}{}},
		"a": map[string]interface{}{"cpu": "500m", "memory": "1Gi", "port": 9000.0},
		"c": map[string]interface{}{},
		"d": "has: colon",
		"e": nil,
		"f": true,
		"g": "multi\nline",
	}
	want := `a:
  cpu: "500m"
  memory: "1Gi"
  port: 9000
b:
  - x
  - j: "yes"
    k: 1
  - []
c: {}
d: "has: colon"
e: null
f: true
g: "multi\nline"`
	if got := toYAML(v); got != want {
		t.Errorf("toYAML:\n%s\nwant:\n%s", got, want)
	}
	if got := toYAML([]interface{}{map[string]interface{}{"a": []interface{}{1, 2}}}); got != "- a:\n    - 1\n    - 2" {
		t.Errorf("nested list: %q", got)
	}
}

func TestSprigSemantics(t *testing.T) {
	fm := funcMap()
	if got := fm["trunc"].(func(int, string) string)(5, "abcdefgh"); got != "abcde" {
		t.Errorf("trunc: %q", got)
	}
	if got := fm["trimSuffix"].(func(string, string) string)("-", "name-"); got != "name" {
		t.Errorf("trimSuffix: %q", got)
	}
	if got := quote("a\"b", nil, 3); got != `"a\"b" "3"` {
		t.Errorf("quote: %q", got)
	}
	if got := indent(2, "a\nb"); got != "  a\n  b" {
		t.Errorf("indent: %q", got)
	}
	if dfault("d", "") != "d" || dfault("d", 0.0) != "d" || dfault("d", "x") != "x" || dfault("d") != "d" {
		t.Errorf("default")
	}
	if !empty(map[string]interface{}{}) || empty(1.5) || !empty(false) || !empty(nil) {
		t.Errorf("empty")
	}
	if toInt64(8.0) != 8 || toInt64("12") != 12 || toInt64(int64(3)) != 3 {
		t.Errorf("toInt64")
	}
	if _, err := required("need x", ""); err == nil || err.Error() != "need x" {
		t.Errorf("required: %v", err)
	}
}

func TestMergeAndSet(t *testing.T) {
	base := map[string]interface{}{"a": map[string]interface{}{"x": 1.0, "y": 2.0}, "b": "keep"}
	over := map[string]interface{}{"a": map[string]interface{}{"y": 3.0, "z": nil}, "b": nil}
	got := mergeValues(base, over)
	a := got["a"].(map[string]interface{})
	if a["x"] != 1.0 || a["y"] != 3.0 || len(a) != 2 || got["b"] != nil {
		t.Errorf("merge: %v", got)
	}
	if err := applySet(got, "c.d.e=8"); err != nil {
		t.Fatal(err)
	}
	if got["c"].(map[string]interface{})["d"].(map[string]interface{})["e"] != int64(8) {
		t.Errorf("set: %v", got)
	}
}

func writeChart(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRenderIncludeAndStrict(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":             "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"0.1.0\"\n",
		"templates/_helpers.tpl": `{{- define "demo.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}`,
		"templates/cm.yaml": "kind: ConfigMap\nmetadata:\n  name: {{ include \"demo.name\" . }}\n" +
			"data:{{ toYaml .Values.data | nindent 2 }}\n  tpl: {{ .Template.Name }}\n",
		"templates/empty.yaml": "{{- if .Values.off }}kind: X{{ end }}\n",
	})
	out, err := Render(Options{ChartDir: dir, ReleaseName: "r1", Namespace: "ns", Strict: true,
		Values: map[string]interface{}{"data": map[string]interface{}{"k": "v"}, "off": false}})
	if err != nil {
		t.Fatal(err)
	}
	want := "---\n# Source: demo/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: demo-r1\n" +
		"data:\n  k: v\n  tpl: demo/templates/cm.yaml\n"
	if out != want {
		t.Errorf("render:\n%s\nwant:\n%s", out, want)
	}
	_, err = Render(Options{ChartDir: dir, Strict: true, Values: map[string]interface{}{"off": false}})
	if err == nil || !strings.Contains(err.Error(), "data") {
		t.Errorf("strict mode should refuse a missing value: %v", err)
	}
}
