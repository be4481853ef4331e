package inbox

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers test them with errors.Is; the API maps them to
// HTTP statuses in one place.
var (
	// ErrNotFound: the thing does not exist in the caller's workspace.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change lost a race or is not allowed from the
	// current state (for example closing a conversation that is closed).
	ErrConflict = errors.New("conflict")
	// ErrDuplicate: a unique key already exists (same provider message id,
	// same agent email, ...).
	ErrDuplicate = errors.New("duplicate")
	// ErrForbidden: the actor may not do this.
	ErrForbidden = errors.New("forbidden")
)

// InvalidError reports bad input, naming the field at fault. Code is a
// stable machine-readable code ("invalid_<field>" unless more specific).
type InvalidError struct {
	Code   string
	Field  string
	Reason string
}

func (e *InvalidError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// Invalid returns an *InvalidError for field with code "invalid_<field>".
func Invalid(field, format string, args ...any) error {
	return &InvalidError{Code: "invalid_" + field, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// InvalidCode returns an *InvalidError with a specific code.
func InvalidCode(code, field, format string, args ...any) error {
	return &InvalidError{Code: code, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ConflictError is an ErrConflict with a stable code explaining which rule
// refused the change, so the API can tell the agent why.
type ConflictError struct {
	Code   string
	Reason string
}

func (e *ConflictError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrConflict) true for every ConflictError.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

func conflict(code, format string, args ...any) error {
	return &ConflictError{Code: code, Reason: fmt.Sprintf(format, args...)}
}
