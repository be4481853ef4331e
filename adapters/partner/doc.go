// Package partner is the channel for partner systems: an online travel
// agency's guest messaging, a booking engine, a marketplace. The partner
// posts its guests' messages to the hub as signed JSON, and the hub posts
// the hotel's replies back to the partner as signed JSON. This comment is
// the contract we hand to partners.
//
// # Setting up a channel
//
// The hotel creates a partner channel in the hub with these settings:
//
//   - url (required): the absolute http or https URL where the hub POSTs
//     replies. Use https; plain http is accepted but meant for test setups.
//   - secret (required, at least 16 characters, no leading or trailing
//     spaces): shared with the partner. It signs both directions.
//   - previousSecret (optional, same rules): the old secret while the
//     secret is being rotated (see Rotation below).
//
// The hub then shows the address the partner sends guest messages to:
//
//	POST {hub public URL}/hooks/partner/{channelId}
//
// # Signing (both directions)
//
// Every request carries two headers:
//
//	X-Hub-Timestamp: <unix time in seconds, decimal digits only>
//	X-Hub-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
//
// The HMAC covers the exact bytes of the body as sent: sign after
// serialising, and send uncompressed (no Content-Encoding). The timestamp
// must be within five minutes of the receiver's clock, in either
// direction, so sign each attempt anew, retries included. The signature
// header may carry several comma-separated values ("sha256=<a>,sha256=<b>");
// one matching value is enough. Hex is accepted in either case.
//
// # Guest messages: partner to hub
//
// POST /hooks/partner/{channelId}, Content-Type application/json, at most
// 1 MiB:
//
//	{
//	  "eventId": "evt-123",
//	  "type": "message",
//	  "conversationRef": "RES-42",
//	  "guest": {"id": "g-9", "name": "Ana Lima"},
//	  "text": "Hello",
//	  "attachments": [
//	    {"url": "https://cdn.example/door.jpg", "contentType": "image/jpeg", "name": "door.jpg", "size": 12345}
//	  ],
//	  "sentAt": "2026-11-21T10:00:00Z"
//	}
//
// Fields (lengths are in characters, not bytes; fields we do not know are
// ignored, so partners may add their own):
//
//   - eventId (required, at most 128): the partner's unique id for this
//     event. The hub stores a message once per eventId and channel: send
//     the same eventId when retrying.
//   - type (required): "message". Any other value is acknowledged with
//     200 {"status":"ignored"} and nothing is stored, so the partner does
//     not retry events the hub does not handle (read receipts, typing).
//   - guest.id (required, at most 128): the partner's stable id for the
//     guest; the hub files all of one guest's messages on this channel in
//     one conversation.
//   - guest.name (optional, at most 128, surrounding spaces trimmed): shown
//     to the hotel's agents.
//   - conversationRef (optional, at most 128): the partner's thread or
//     reservation reference. The hub keeps the latest one and sends it back
//     with every reply.
//   - text (surrounding spaces trimmed): the message, at most 10000
//     characters by default. A message needs text, at least one attachment,
//     or both.
//   - attachments (optional, at most 10 by default): url (required, absolute
//     http or https, at most 2048 bytes; agents' browsers open it directly,
//     so it must work without credentials, for instance a pre-signed URL),
//     contentType (optional, at most 127 characters), name (optional, at
//     most 255), size (optional, bytes, at most 20 MiB by default).
//   - sentAt (optional, RFC 3339): when the guest wrote. Defaults to the time
//     the hub received it; a time later than the hub's clock is replaced by
//     the hub's clock.
//
// Answers. Errors are {"error": {"code": "...", "message": "..."}}; the
// message names the offending field. An error answer never stores anything,
// not even part of the message.
//
//   - 200 {"status":"accepted","messageId":"...","conversationId":"...","duplicate":false}:
//     stored. "duplicate": true means this eventId had been received before;
//     messageId and conversationId are those of the first delivery.
//   - 200 {"status":"ignored"}: an event type other than "message".
//   - 400 invalid_json, type_required, event_id_required, event_id_too_long,
//     guest_id_required, guest_id_too_long, guest_name_too_long,
//     conversation_ref_too_long, empty_message, too_many_attachments,
//     invalid_attachment, invalid_sent_at.
//   - 401 signature_missing, timestamp_invalid, timestamp_stale,
//     signature_invalid.
//   - 403 channel_disabled: the hotel switched the channel off.
//   - 404 channel_not_found: no partner channel with that id.
//   - 413 body_too_large, text_too_long, attachment_too_large.
//   - 5xx: a problem on our side; nothing is stored.
//
// Retries: retry on network errors, timeouts, 408, 429 and 5xx, with
// growing delays (for instance for up to a day), keeping the eventId and
// signing each attempt with a fresh timestamp. Do not retry other 4xx
// answers unchanged: the same request is refused again. A 401
// timestamp_stale usually means the sender's clock is off, or a retry
// reused an old signature.
//
// # Replies: hub to partner
//
// The hub POSTs each reply to the channel's url, signed with secret as
// above, with headers Content-Type application/json, User-Agent hub and
// Idempotency-Key: the eventId, identical on every attempt of one reply
// (deduplicate on it: a reply may arrive twice when our connection broke
// after you stored it). Empty fields are left out:
//
//	{
//	  "eventId": "msg_01H...",
//	  "type": "message",
//	  "conversationRef": "RES-42",
//	  "guestId": "g-9",
//	  "author": {"type": "agent", "name": "Marta"},
//	  "text": "Hi Ana, the door code is on its way.",
//	  "attachments": [{"url": "https://...", "contentType": "image/png", "name": "map.png", "size": 2048}],
//	  "buttons": ["Yes", "No"],
//	  "sentAt": "2026-11-21T10:01:00Z"
//	}
//
// author.type is agent, bot or system; buttons are quick-reply suggestions
// the guest may tap (show them as plain text if you cannot). conversationRef
// is the latest one the guest's messages carried.
//
// Answer within 15 seconds with any 2xx; a JSON body {"id": "..."} with
// your id for the message is optional and kept by the hub. The hub does not
// follow redirects. It retries with growing delays on network errors,
// timeouts, 408, 425 and 5xx, and on 429 after the Retry-After header
// (seconds or an HTTP date; 30 seconds when absent, at most an hour). Any
// other answer (a 3xx, or a 4xx such as 400 or 401) fails the reply at once
// and shows the agent the status and the first 200 bytes of your body, so
// make that body a helpful, secret-free explanation.
//
// # Rotation
//
// To change the secret without losing messages: (1) the hotel moves the old
// secret to previousSecret and sets the new secret; the hub now accepts
// guest messages signed with either and signs replies with the new one.
// (2) The partner switches to the new secret for signing, and verifies our
// replies with both old and new for the moment. (3) The hotel clears
// previousSecret.
//
// # For the hub
//
// Adapter implements adapters.Adapter, adapters.WebhookReceiver and
// adapters.Configurable. Message text, attachment URLs and secrets are never
// logged above debug level, and secrets never appear in errors.
package partner
