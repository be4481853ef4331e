package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

type adapterError struct{}

func (adapterError) Error() string     { return "bad signature" }
func (adapterError) StatusCode() int   { return http.StatusUnauthorized }
func (adapterError) ErrorCode() string { return "signature_invalid" }

func TestErrorCatalogue_MapsEveryKindOfError(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{inbox.Invalid("until", "in the past"), 400, "invalid_until"},
		{fmt.Errorf("wrapped: %w", inbox.InvalidCode("text_too_long", "text", "too long")), 400, "text_too_long"},
		{&inbox.ConflictError{Code: "assigned_to_other", Reason: "taken"}, 409, "assigned_to_other"},
		{inbox.ErrConflict, 409, "conflict"},
		{inbox.ErrDuplicate, 409, "duplicate"},
		{inbox.ErrForbidden, 403, "forbidden"},
		{orNotFound(inbox.ErrNotFound, "conversation"), 404, "conversation_not_found"},
		{adapterError{}, 401, "signature_invalid"},
		{fiber.ErrRequestEntityTooLarge, 413, "body_too_large"},
		{fiber.ErrNotFound, 404, "route_not_found"},
		{fmt.Errorf("disk on fire"), 500, "internal"},
	} {
		got := toAPIError(tc.err)
		if got.Status != tc.status || got.Code != tc.code {
			t.Errorf("%v → %d %s, want %d %s", tc.err, got.Status, got.Code, tc.status, tc.code)
		}
	}
}
