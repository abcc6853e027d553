package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

var errMalformed = errors.New("malformed JSON")

// maxShapeProblems bounds the field problems one body can produce (a body
// of a thousand unknown keys gets a short answer).
const maxShapeProblems = 50

// decode reads one JSON value strictly into v (a pointer to a struct).
// Unreadable JSON, an empty body or trailing data are malformed (400). Wrong
// types and unknown fields are field-level validation errors (422) whose
// paths ("parties[1].custody", "charges[0]") are the ones the domain's own
// validation uses; encoding/json alone reports neither array indexes nor
// the path of an unknown field, so after a failed decode the body is walked
// once more against v's type to name every problem. The body limit is set
// by the server middleware; hitting it is passed on as *http.MaxBytesError.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return errMalformed
	}
	if !json.Valid(body) {
		return errMalformed
	}
	// The shape walk runs first and always: it names every problem with
	// its path, and it matches keys exactly, where encoding/json would
	// quietly accept "PLEA" for "plea".
	var generic any
	gd := json.NewDecoder(bytes.NewReader(body))
	gd.UseNumber()
	if err := gd.Decode(&generic); err != nil {
		return errMalformed
	}
	val := &apperr.Validation{}
	checkShape(val, reflect.TypeOf(v).Elem(), generic, "")
	if err := val.Err(); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	derr := dec.Decode(v)
	if derr == nil {
		return nil
	}
	// The walk found nothing (e.g. a duplicate key whose first value had
	// the wrong type): fall back to what encoding/json said.
	var typeErr *json.UnmarshalTypeError
	if errors.As(derr, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return apperr.Invalid(field, typeKey(typeErr.Type.Kind()))
	}
	return apperr.Invalid("body", "err.json_unknown_field")
}

// checkShape compares a decoded JSON value x with the Go type t and records
// each wrong type and unknown field under its path. null is accepted
// anywhere, as encoding/json does.
func checkShape(v *apperr.Validation, t reflect.Type, x any, path string) {
	if len(v.Fields) >= maxShapeProblems || x == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	field := path
	if field == "" {
		field = "body"
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := x.(map[string]any)
		if !ok {
			v.Add(field, typeKey(t.Kind()))
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := jsonField(t, k)
			if !ok {
				v.Add(join(path, k), "err.json_unknown_field")
				continue
			}
			checkShape(v, ft, obj[k], join(path, k))
		}
	case reflect.Map:
		obj, ok := x.(map[string]any)
		if !ok {
			v.Add(field, typeKey(t.Kind()))
			return
		}
		for k, e := range obj {
			checkShape(v, t.Elem(), e, join(path, k))
		}
	case reflect.Slice, reflect.Array:
		arr, ok := x.([]any)
		if !ok {
			v.Add(field, typeKey(t.Kind()))
			return
		}
		for i, e := range arr {
			checkShape(v, t.Elem(), e, path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.String:
		if _, ok := x.(string); !ok {
			v.Add(field, typeKey(t.Kind()))
		}
	case reflect.Bool:
		if _, ok := x.(bool); !ok {
			v.Add(field, typeKey(t.Kind()))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := x.(json.Number)
		if ok {
			_, err := strconv.ParseInt(n.String(), 10, t.Bits())
			ok = err == nil
		}
		if !ok {
			v.Add(field, typeKey(t.Kind()))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := x.(json.Number)
		if ok {
			_, err := strconv.ParseUint(n.String(), 10, t.Bits())
			ok = err == nil
		}
		if !ok {
			v.Add(field, typeKey(t.Kind()))
		}
	case reflect.Float32, reflect.Float64:
		n, ok := x.(json.Number)
		if ok {
			_, err := strconv.ParseFloat(n.String(), t.Bits())
			ok = err == nil
		}
		if !ok {
			v.Add(field, typeKey(t.Kind()))
		}
	}
}

// jsonField finds the type of the struct field named key. Names match
// exactly: the API's field names are its contract, so "PLEA" is an
// unknown field rather than encoding/json's case-insensitive "plea".
func jsonField(t reflect.Type, key string) (reflect.Type, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// typeKey names the expected JSON type in the message.
func typeKey(k reflect.Kind) string {
	switch k {
	case reflect.String, reflect.Bool:
		return "err.json_type_" + k.String()
	case reflect.Slice, reflect.Array:
		return "err.json_type_array"
	case reflect.Struct, reflect.Map:
		return "err.json_type_object"
	default:
		return "err.json_type_number"
	}
}

// unknownFieldMessage renders an unknown field: it has no Chinese label, so
// the message names the enclosing object and quotes the key as sent
// ("当事人1：未知字段“foo”").
func (h *Handler) unknownFieldMessage(path string) string {
	if path == "body" {
		return h.T.Field(path) + "：" + h.T.T("err.json_unknown_field")
	}
	parent, key := "body", path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, key = path[:i], path[i+1:]
	}
	if r := []rune(key); len(r) > 64 {
		key = string(r[:64]) + "…"
	}
	return h.T.Field(parent) + "：" + h.T.T("err.json_unknown_field") + "“" + key + "”"
}
