package sms

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	twclient "github.com/twilio/twilio-go/client"

	"hub/adapters"
)

// codeReasons explains the Twilio error codes an agent is likely to see,
// from a send or from a delivery report.
var codeReasons = map[int]string{
	20003: "authentication failed, check the channel's accountSid and authToken",
	20404: "not found, check the channel's accountSid and messagingServiceSid",
	20429: "too many requests",
	21211: "invalid 'To' number",
	21212: "invalid 'From' number",
	21408: "sending to this region is not enabled on the account",
	21602: "message body is required",
	21606: "the 'From' number cannot send SMS (not an SMS-capable number of this account)",
	21610: "the customer has opted out (STOP)",
	21612: "this number cannot be reached from the sender",
	21614: "not a mobile number",
	21617: "message body exceeds 1600 characters",
	21620: "invalid media URL",
	30001: "queue overflow",
	30002: "account suspended",
	30003: "unreachable destination handset",
	30004: "message blocked",
	30005: "unknown destination handset",
	30006: "landline or unreachable carrier",
	30007: "filtered as spam by the carrier",
	30008: "unknown error",
}

// permanentCodes are send errors that no retry can fix.
var permanentCodes = map[int]bool{
	20003: true, 21211: true, 21408: true, 21606: true, 21610: true, 21612: true, 21614: true,
}

// codeText is "Twilio <code>: <reason>" from the table, else from
// fallback (Twilio's own message), else "Twilio <code>".
func codeText(code int, fallback string) string {
	reason := codeReasons[code]
	if reason == "" {
		reason = fallback
	}
	if reason == "" {
		return "Twilio " + strconv.Itoa(code)
	}
	return "Twilio " + strconv.Itoa(code) + ": " + reason
}

// APIError is an error answer of the Twilio REST API, cleaned for agents:
// no credentials, phone numbers masked.
type APIError struct {
	// Status is the HTTP status; Code is Twilio's error code (0 if none).
	Status int
	Code   int
	// Reason is readable text ("the customer has opted out (STOP)").
	Reason string
}

func (e *APIError) Error() string {
	if e.Code != 0 {
		return codeText(e.Code, e.Reason)
	}
	if e.Reason != "" {
		return fmt.Sprintf("Twilio HTTP %d: %s", e.Status, e.Reason)
	}
	return fmt.Sprintf("Twilio HTTP %d", e.Status)
}

// phoneNumber matches numbers Twilio quotes in its messages.
var phoneNumber = regexp.MustCompile(`\+?[0-9][0-9 ().-]{5,}[0-9]`)

// clean removes the token and masks phone numbers in a provider message.
func clean(msg, token string) string {
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[redacted]")
	}
	msg = phoneNumber.ReplaceAllString(msg, "[number]")
	return strings.TrimSpace(msg)
}

// classify turns what twilio-go returned into the hub's error kinds.
func classify(err error, token string) error {
	var rest *twclient.TwilioRestError
	if !errors.As(err, &rest) {
		// Network error, timeout, or an answer twilio-go could not decode:
		// the hub retries. These carry URLs and causes, never the token.
		return fmt.Errorf("sms: twilio request failed: %w", err)
	}
	status := rest.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	apiErr := &APIError{Status: status, Code: rest.Code}
	if codeReasons[rest.Code] == "" {
		apiErr.Reason = clean(rest.Message, token)
	}
	switch {
	case status == http.StatusTooManyRequests || rest.Code == 20429:
		return &adapters.RetryAfterError{After: retryAfterOf(rest), Err: apiErr}
	case status == http.StatusUnauthorized || status == http.StatusForbidden || permanentCodes[rest.Code]:
		return &adapters.PermanentError{Err: apiErr}
	case status >= 500 || status == http.StatusRequestTimeout:
		return apiErr
	case status >= 400:
		// Any other refusal of the request as such (bad parameter, unknown
		// resource): sending the same request again cannot help.
		return &adapters.PermanentError{Err: apiErr}
	default:
		return apiErr
	}
}

// retryAfterDetail is where the transport records a 429's Retry-After in
// the error's details, since twilio-go drops response headers on errors.
const retryAfterDetail = "hubRetryAfterSeconds"

const (
	defaultRetryAfter = time.Second
	maxRetryAfter     = time.Hour
)

func retryAfterOf(rest *twclient.TwilioRestError) time.Duration {
	secs, ok := rest.Details[retryAfterDetail].(float64)
	if !ok || secs <= 0 {
		return defaultRetryAfter
	}
	d := time.Duration(secs * float64(time.Second))
	return min(d, maxRetryAfter)
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return float64(n), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now).Seconds(), 0), true
	}
	return 0, false
}
