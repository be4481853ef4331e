package sms

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"hub/adapters"
)

func TestStatus_CallbacksAreMappedToDeliveryUpdates(t *testing.T) {
	const sid = "SM22222222222222222222222222222222"
	cases := []struct {
		status, errorCode string
		want              *adapters.DeliveryUpdate // nil: ignored
	}{
		{"sent", "", &adapters.DeliveryUpdate{Status: "sent"}},
		{"delivered", "", &adapters.DeliveryUpdate{Status: "delivered"}},
		{"read", "", &adapters.DeliveryUpdate{Status: "read"}},
		{"failed", "30003", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 30003: unreachable destination handset"}},
		{"undelivered", "30007", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 30007: filtered as spam by the carrier"}},
		{"undelivered", "30005", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 30005: unknown destination handset"}},
		{"failed", "30006", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 30006: landline or unreachable carrier"}},
		{"failed", "21610", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 21610: the customer has opted out (STOP)"}},
		{"failed", "21211", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 21211: invalid 'To' number"}},
		{"failed", "39999", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio 39999"}},
		{"failed", "", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio: message failed"}},
		{"undelivered", "junk", &adapters.DeliveryUpdate{Status: "failed", Error: "Twilio: message undelivered"}},
		{"canceled", "", &adapters.DeliveryUpdate{Status: "failed", Error: "canceled"}},
		{"Delivered", "", &adapters.DeliveryUpdate{Status: "delivered"}},
		{"queued", "", nil},
		{"accepted", "", nil},
		{"scheduled", "", nil},
		{"sending", "", nil},
		{"receiving", "", nil},
		{"received", "", nil},
		{"partially_delivered", "", nil},
	}
	for _, c := range cases {
		t.Run(c.status+"/"+c.errorCode, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			path := statusPath + "?message=msg-42"
			expectTwiML(t, e.postSigned(path, statusForm("MessageStatus", c.status, "ErrorCode", c.errorCode)))
			got := e.sink.deliveryUpdates()
			if c.want == nil {
				if len(got) != 0 {
					t.Fatalf("intermediate state delivered: %+v", got)
				}
				return
			}
			want := *c.want
			want.ChannelID, want.MessageID, want.ExternalID = "ch1", "msg-42", sid
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Fatalf("updates\n got %+v\nwant %+v", got, want)
			}
			if len(e.sink.Inbounds()) != 0 {
				t.Fatal("a status callback was delivered as a message")
			}
		})
	}
}

func TestStatus_WithoutMessageQueryTheSidIsUsed(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	expectTwiML(t, e.postSigned(statusPath, statusForm()))
	got := e.sink.deliveryUpdates()
	if len(got) != 1 || got[0].MessageID != "" || got[0].ExternalID != "SM22222222222222222222222222222222" {
		t.Fatalf("updates %+v", got)
	}
}

func TestStatus_EscapedMessageIDInQuery(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	path := statusPath + "?message=a%2Fb+c%3D"
	expectTwiML(t, e.postSigned(path, statusForm()))
	if got := e.sink.deliveryUpdates(); len(got) != 1 || got[0].MessageID != "a/b c=" {
		t.Fatalf("updates %+v", got)
	}
}

func TestStatus_UnknownMessageIsAcknowledged(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	e.sink.updateErr = fmt.Errorf("lookup: %w", adapters.ErrMessageNotFound)
	expectTwiML(t, e.postSigned(statusPath+"?message=gone", statusForm()))
}

func TestStatus_SinkErrors(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	e.sink.updateErr = errors.New("store down")
	expectError(t, e.postSigned(statusPath, statusForm()), http.StatusInternalServerError, "internal_error")

	e.sink.updateErr = adapters.Errorf(http.StatusConflict, "conflict", "race")
	expectError(t, e.postSigned(statusPath, statusForm()), http.StatusConflict, "conflict")
}

func TestStatus_AuthenticityAndShapeAreChecked(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	form := statusForm()
	path := statusPath + "?message=msg-1"

	// Signed without the query Send put in the callback URL.
	expectError(t, e.post(path, form.Encode(), sign(testPublicURL+statusPath, form)), http.StatusForbidden, "signature_invalid")
	// Query changed after signing (another message id).
	expectError(t, e.post(statusPath+"?message=msg-2", form.Encode(), sign(testPublicURL+path, form)), http.StatusForbidden, "signature_invalid")
	expectError(t, e.post(path, form.Encode(), ""), http.StatusForbidden, "signature_invalid")
	expectError(t, e.postSigned(path, statusForm("AccountSid", otherAccount)), http.StatusForbidden, "account_mismatch")
	expectError(t, e.postSigned(path, statusForm("MessageStatus", "")), http.StatusBadRequest, "invalid_request")
	expectError(t, e.postSigned(path, statusForm("MessageSid", "")), http.StatusBadRequest, "invalid_request")
	expectError(t, e.post(path, "a=%zz", "x"), http.StatusBadRequest, "invalid_request")

	if got := e.sink.deliveryUpdates(); len(got) != 0 {
		t.Fatalf("updates after refused callbacks: %+v", got)
	}
}
