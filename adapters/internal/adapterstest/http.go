package adapterstest

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// ErrorHandler renders errors like the hub's one error handler: an error
// with StatusCode and ErrorCode (an *adapters.HTTPError) gives the status
// and code, a *fiber.Error its status and "http_error", anything else 500
// "internal_error"; the body is {"error":{"code","message"}}.
func ErrorHandler(c *fiber.Ctx, err error) error {
	var coded interface {
		StatusCode() int
		ErrorCode() string
	}
	status, code := http.StatusInternalServerError, "internal_error"
	var fe *fiber.Error
	switch {
	case errors.As(err, &coded):
		status, code = coded.StatusCode(), coded.ErrorCode()
	case errors.As(err, &fe):
		status, code = fe.Code, "http_error"
	}
	return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": err.Error()}})
}

// NewApp is a fiber app with ErrorHandler and r's routes.
func NewApp(r adapters.WebhookReceiver) *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler, DisableStartupMessage: true})
	r.Routes(app)
	return app
}

// Do serves req on app without a time limit and returns the answer with
// its body read.
func Do(t testing.TB, app *fiber.App, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
