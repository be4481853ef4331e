package adapters

import "fmt"

// HTTPError is an error an adapter's HTTP handler returns to refuse a
// request. The hub's one error handler renders it as
// {"error": {"code": Code, "message": Message}} with Status, so adapters
// answer in the same shape as the rest of the API without importing it.
type HTTPError struct {
	Status  int
	Code    string
	Message string
}

func (e *HTTPError) Error() string { return e.Message }

// StatusCode is the HTTP status to answer with.
func (e *HTTPError) StatusCode() int { return e.Status }

// ErrorCode is the stable machine-readable code.
func (e *HTTPError) ErrorCode() string { return e.Code }

// Errorf builds an HTTPError.
func Errorf(status int, code, format string, args ...any) *HTTPError {
	return &HTTPError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}
