// Package apperr defines the error vocabulary shared by every domain package:
// not found (不存在), forbidden (无权限), conflict (冲突) and validation (校验失败)
// with field-level messages. Domain packages return these; the web and API
// edges map them to responses exactly once.
//
// Messages are not text but i18n keys with arguments, so the edge renders them
// in the user's language (Simplified Chinese first).
package apperr

import (
	"errors"
	"strings"
)

// Sentinels. Wrap them with %w to add context for logs.
var (
	// ErrNotFound: the object does not exist or is outside the caller's
	// scope. Both answer the same, so existence never leaks.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller may see the object but not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: a concurrent change or a uniqueness rule refused the write.
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated: no valid session or token.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// FieldError is one problem with one input field. Field is a stable path
// such as "parties[0].id_number"; Key is an i18n message key; Args fill it.
type FieldError struct {
	Field string
	Key   string
	Args  []any
	// Label, when set, is the i18n key of the field's name where the
	// shared label of Field would mislead (an event's "outcome" is a
	// decision, an intake's "outcome" is the intake conclusion).
	Label string
}

// Validation collects field errors. A Validation with no fields is not an
// error; use Err() to get nil in that case.
type Validation struct {
	Fields []FieldError
}

// Add records a problem with a field.
func (v *Validation) Add(field, key string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Key: key, Args: args})
}

// AddLabeled records a problem with a field named by its own label key.
func (v *Validation) AddLabeled(field, label, key string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Key: key, Args: args, Label: label})
}

// Has reports whether the field already has a problem (so later checks on
// the same field can be skipped and the user sees the first cause).
func (v *Validation) Has(field string) bool {
	for _, f := range v.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns v as an error when it holds problems, nil otherwise.
func (v *Validation) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

func (v *Validation) Error() string {
	names := make([]string, 0, len(v.Fields))
	for _, f := range v.Fields {
		names = append(names, f.Field+":"+f.Key)
	}
	return "validation failed: " + strings.Join(names, ", ")
}

// Invalid is a shortcut for a validation error on one field.
func Invalid(field, key string, args ...any) error {
	v := &Validation{}
	v.Add(field, key, args...)
	return v
}

// AsValidation extracts a *Validation from err.
func AsValidation(err error) (*Validation, bool) {
	var v *Validation
	ok := errors.As(err, &v)
	return v, ok
}
