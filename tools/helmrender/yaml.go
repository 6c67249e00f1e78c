package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// toYAML is Helm's toYaml: the value as block-style YAML without the final newline, keys
// sorted (Helm goes through JSON as well, so structs and numbers come out the same way).
// Strings are written plain only when that cannot change their type; otherwise as
// double-quoted JSON strings, which YAML reads the same. Sequences are indented under
// their key (Helm's emitter does not indent them; both parse to the same objects).
func toYAML(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var n interface{}
	if err := dec.Decode(&n); err != nil {
		return ""
	}
	var b strings.Builder
	emitYAML(&b, n, 0)
	return strings.TrimSuffix(b.String(), "\n")
}

func emitYAML(b *strings.Builder, v interface{}, indent int) {
	pad := strings.Repeat(" ", indent)
	switch n := v.(type) {
	case map[string]interface{}:
		if len(n) == 0 {
			b.WriteString(pad + "{}\n")
			return
		}
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(pad + yamlScalar(k) + ":")
			child := n[k]
			if isBlock(child) {
				b.WriteString("\n")
				emitYAML(b, child, indent+2)
			} else {
				b.WriteString(" " + yamlScalar(child) + "\n")
			}
		}
	case []interface{}:
		if len(n) == 0 {
			b.WriteString(pad + "[]\n")
			return
		}
		for _, item := range n {
			if !isBlock(item) {
				b.WriteString(pad + "- " + yamlScalar(item) + "\n")
				continue
			}
			var sub strings.Builder
			emitYAML(&sub, item, indent+2)
			b.WriteString(pad + "- " + sub.String()[indent+2:])
		}
	default:
		b.WriteString(pad + yamlScalar(v) + "\n")
	}
}

func isBlock(v interface{}) bool {
	switch n := v.(type) {
	case map[string]interface{}:
		return len(n) > 0
	case []interface{}:
		return len(n) > 0
	}
	return false
}

var (
	plainRe    = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./@+=-]*$`)
	reservedRe = regexp.MustCompile(`^(?i:y|n|yes|no|true|false|on|off|null)$`)
)

func yamlScalar(v interface{}) string {
	switch n := v.(type) {
	case nil:
		return "null"
	case bool:
		if n {
			return "true"
		}
		return "false"
	case json.Number:
		return n.String()
	case string:
		if plainRe.MatchString(n) && !reservedRe.MatchString(n) {
			return n
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(n)
		return strings.TrimSuffix(b.String(), "\n")
	case map[string]interface{}:
		return "{}"
	case []interface{}:
		return "[]"
	default:
		return strval(v)
	}
}
