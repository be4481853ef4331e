package api

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// Error is an API error: an HTTP status, a stable code and a message for
// people. Handlers return it (or a domain error) and ErrorHandler renders
// it; nothing else writes error bodies.
type Error struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Message }

// StatusCode and ErrorCode let adapters' errors and ours share one path.
func (e *Error) StatusCode() int   { return e.Status }
func (e *Error) ErrorCode() string { return e.Code }

func apiError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// The catalogue of errors that do not come from the domain. Codes are
// stable: clients may branch on them.
var (
	errUnauthorized  = apiError(fiber.StatusUnauthorized, "unauthorized", "log in first")
	errBadLogin      = apiError(fiber.StatusUnauthorized, "invalid_credentials", "wrong email or password")
	errAdminOnly     = apiError(fiber.StatusForbidden, "admin_only", "only workspace admins may do this")
	errForbidden     = apiError(fiber.StatusForbidden, "forbidden", "you may not do this")
	errBodyTooLarge  = apiError(fiber.StatusRequestEntityTooLarge, "body_too_large", "the request body is too large")
	errTooManyLogins = apiError(fiber.StatusTooManyRequests, "too_many_attempts", "too many failed sign-ins: wait a minute and try again")
	errRouteNotFound = apiError(fiber.StatusNotFound, "route_not_found", "no such route")
	errConflict      = apiError(fiber.StatusConflict, "conflict", "the conversation changed meanwhile: reload and try again")
	errDuplicate     = apiError(fiber.StatusConflict, "duplicate", "it already exists")
	errInternal      = apiError(fiber.StatusInternalServerError, "internal", "something went wrong on our side")
)

// notFound names what was not found: "conversation_not_found".
func notFound(what string) *Error {
	return apiError(fiber.StatusNotFound, what+"_not_found", "no such "+what)
}

// coded is any error that knows its HTTP status and code (ours, adapters').
type coded interface {
	StatusCode() int
	ErrorCode() string
}

// ErrorHandler renders every error as {"error": {"code", "message"}} with
// the right status. It is the fiber app's one error handler.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := toAPIError(err)
		if e.Status >= 500 {
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		}
		body := fiber.Map{"code": e.Code, "message": e.Message}
		if e.Field != "" {
			body["field"] = e.Field
		}
		return c.Status(e.Status).JSON(fiber.Map{"error": body})
	}
}

func toAPIError(err error) *Error {
	var (
		ae       *Error
		cd       coded
		invalid  *inbox.InvalidError
		conflict *inbox.ConflictError
		fe       *fiber.Error
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &cd):
		return apiError(cd.StatusCode(), cd.ErrorCode(), err.Error())
	case errors.As(err, &invalid):
		return &Error{Status: fiber.StatusBadRequest, Code: invalid.Code, Message: invalid.Error(), Field: invalid.Field}
	case errors.As(err, &conflict):
		return apiError(fiber.StatusConflict, conflict.Code, conflict.Reason)
	case errors.Is(err, inbox.ErrConflict):
		return errConflict
	case errors.Is(err, inbox.ErrDuplicate):
		return errDuplicate
	case errors.Is(err, inbox.ErrForbidden):
		return errForbidden
	case errors.Is(err, inbox.ErrNotFound):
		return notFound("resource")
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			return errBodyTooLarge
		case fiber.StatusNotFound:
			return errRouteNotFound
		case fiber.StatusMethodNotAllowed:
			return apiError(fe.Code, "method_not_allowed", "method not allowed")
		case fiber.StatusBadRequest:
			return apiError(fe.Code, "bad_request", fe.Message)
		}
		return apiError(fe.Code, "http_error", fe.Message)
	}
	return errInternal
}

// orNotFound turns the domain's ErrNotFound into "<what>_not_found".
func orNotFound(err error, what string) error {
	if errors.Is(err, inbox.ErrNotFound) {
		return notFound(what)
	}
	return err
}
