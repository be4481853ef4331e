package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"
)

// decode reads a JSON body into v strictly: one JSON object, no unknown
// fields, right types. An empty body decodes as {} for routes whose body
// is all optional.
func decode(c *fiber.Ctx, v any) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidJSON(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apiError(fiber.StatusBadRequest, "invalid_json", "the body must hold one JSON object")
	}
	return nil
}

func invalidJSON(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		e := apiError(fiber.StatusBadRequest, "invalid_json", fmt.Sprintf("field %q must be a %s", typeErr.Field, typeErr.Type))
		e.Field = typeErr.Field
		return e
	}
	return apiError(fiber.StatusBadRequest, "invalid_json", "malformed JSON: "+err.Error())
}
