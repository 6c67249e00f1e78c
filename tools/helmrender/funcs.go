package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

// funcMap is the subset of Helm's template functions (Sprig's plus Helm's own) that the
// Strongbox chart uses, with Sprig's signatures and argument order. "include" is bound by
// Render because it needs the template set.
func funcMap() template.FuncMap {
	return template.FuncMap{
		// Helm's own.
		"toYaml":   toYAML,
		"toJson":   toJSON,
		"required": required,
		"fail":     func(msg string) (string, error) { return "", errors.New(msg) },
		"lookup": func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil // as `helm template`: no cluster to ask
		},
		// Sprig: defaults and logic.
		"default":  dfault,
		"empty":    empty,
		"coalesce": coalesce,
		"ternary": func(vt, vf interface{}, v bool) interface{} {
			if v {
				return vt
			}
			return vf
		},
		// Sprig: strings.
		"quote":      quote,
		"squote":     squote,
		"indent":     indent,
		"nindent":    func(spaces int, v string) string { return "\n" + indent(spaces, v) },
		"trunc":      trunc,
		"trim":       strings.TrimSpace,
		"trimSuffix": func(a, b string) string { return strings.TrimSuffix(b, a) },
		"trimPrefix": func(a, b string) string { return strings.TrimPrefix(b, a) },
		"replace":    func(o, n, s string) string { return strings.ReplaceAll(s, o, n) },
		"lower":      strings.ToLower,
		"upper":      strings.ToUpper,
		"contains":   func(substr, str string) bool { return strings.Contains(str, substr) },
		"hasPrefix":  func(substr, str string) bool { return strings.HasPrefix(str, substr) },
		"hasSuffix":  func(substr, str string) bool { return strings.HasSuffix(str, substr) },
		"regexMatch": func(re, s string) bool { return regexp.MustCompile(re).MatchString(s) },
		"toString":   strval,
		"join":       join,
		"splitList":  func(sep, orig string) []string { return strings.Split(orig, sep) },
		"b64enc":     func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"sha256sum": func(s string) string {
			sum := sha256.Sum256([]byte(s))
			return hex.EncodeToString(sum[:])
		},
		// Sprig: numbers.
		"int":     func(v interface{}) int { return int(toInt64(v)) },
		"int64":   toInt64,
		"float64": toFloat64,
		"add": func(i ...interface{}) int64 {
			var a int64
			for _, b := range i {
				a += toInt64(b)
			}
			return a
		},
		"add1": func(i interface{}) int64 { return toInt64(i) + 1 },
		"sub":  func(a, b interface{}) int64 { return toInt64(a) - toInt64(b) },
		"mul": func(a interface{}, v ...interface{}) int64 {
			r := toInt64(a)
			for _, b := range v {
				r *= toInt64(b)
			}
			return r
		},
		"div": func(a, b interface{}) int64 { return toInt64(a) / toInt64(b) },
		"until": func(count int) []int {
			out := make([]int, 0, count)
			for i := 0; i < count; i++ {
				out = append(out, i)
			}
			return out
		},
		// Sprig: collections and types.
		"list": func(v ...interface{}) []interface{} { return v },
		"dict": dict,
		"get": func(d map[string]interface{}, key string) interface{} {
			if v, ok := d[key]; ok {
				return v
			}
			return ""
		},
		"hasKey": func(d map[string]interface{}, key string) bool { _, ok := d[key]; return ok },
		"kindIs": func(kind string, v interface{}) bool { return kindOf(v) == kind },
		"kindOf": kindOf,
	}
}

func required(warn string, val interface{}) (interface{}, error) {
	if val == nil {
		return val, errors.New(warn)
	}
	if s, ok := val.(string); ok && s == "" {
		return val, errors.New(warn)
	}
	return val, nil
}

func dfault(d interface{}, given ...interface{}) interface{} {
	if len(given) == 0 || empty(given[0]) {
		return d
	}
	return given[0]
}

// empty is Sprig's: nil, zero numbers, false, and empty strings, lists and maps.
func empty(given interface{}) bool {
	g := reflect.ValueOf(given)
	if !g.IsValid() {
		return true
	}
	switch g.Kind() {
	case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
		return g.Len() == 0
	case reflect.Bool:
		return !g.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return g.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return g.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return g.Float() == 0
	case reflect.Ptr, reflect.Interface:
		return g.IsNil()
	default:
		return false
	}
}

func coalesce(v ...interface{}) interface{} {
	for _, val := range v {
		if !empty(val) {
			return val
		}
	}
	return nil
}

func strval(v interface{}) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprintf("%v", v)
	}
}

func quote(str ...interface{}) string {
	out := make([]string, 0, len(str))
	for _, s := range str {
		if s != nil {
			out = append(out, fmt.Sprintf("%q", strval(s)))
		}
	}
	return strings.Join(out, " ")
}

func squote(str ...interface{}) string {
	out := make([]string, 0, len(str))
	for _, s := range str {
		if s != nil {
			out = append(out, fmt.Sprintf("'%v'", s))
		}
	}
	return strings.Join(out, " ")
}

func indent(spaces int, v string) string {
	pad := strings.Repeat(" ", spaces)
	return pad + strings.ReplaceAll(v, "\n", "\n"+pad)
}

func trunc(c int, s string) string {
	if c < 0 && len(s)+c > 0 {
		return s[len(s)+c:]
	}
	if c >= 0 && len(s) > c {
		return s[:c]
	}
	return s
}

func join(sep string, v interface{}) string {
	var parts []string
	switch l := v.(type) {
	case []string:
		parts = l
	case []interface{}:
		for _, x := range l {
			if x != nil {
				parts = append(parts, strval(x))
			}
		}
	default:
		return strval(v)
	}
	return strings.Join(parts, sep)
}

func dict(v ...interface{}) map[string]interface{} {
	d := map[string]interface{}{}
	for i := 0; i+1 < len(v); i += 2 {
		d[strval(v[i])] = v[i+1]
	}
	if len(v)%2 == 1 {
		d[strval(v[len(v)-1])] = ""
	}
	return d
}

func kindOf(v interface{}) string {
	if v == nil {
		return "invalid"
	}
	return reflect.ValueOf(v).Kind().String()
}

// toInt64 converts as Sprig's (cast.ToInt64): numbers, numeric strings, bools; else 0.
func toInt64(v interface{}) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int8:
		return int64(n)
	case int16:
		return int64(n)
	case int32:
		return int64(n)
	case int64:
		return n
	case uint:
		return int64(n)
	case uint8:
		return int64(n)
	case uint16:
		return int64(n)
	case uint32:
		return int64(n)
	case uint64:
		return int64(n)
	case float32:
		return int64(n)
	case float64:
		return int64(n)
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			f, _ := n.Float64()
			return int64(f)
		}
		return i
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(n), 0, 64)
		if err != nil {
			return 0
		}
		return i
	case bool:
		if n {
			return 1
		}
		return 0
	default:
		return 0
	}
}

func toFloat64(v interface{}) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f
	default:
		return float64(toInt64(v))
	}
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}
