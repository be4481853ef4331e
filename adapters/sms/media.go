package sms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hub/adapters"
)

// twilioAPIHost is where Twilio's media URLs point.
const twilioAPIHost = "api.twilio.com"

// maxRedirects bounds the media download's redirect chain.
const maxRedirects = 10

// FetchMedia opens a Proxied attachment (an MMS media URL Twilio sent) with
// the channel's credentials. Only URLs on https://api.twilio.com or on the
// channel's apiBaseUrl are fetched (403 media_forbidden otherwise), so the
// credentials never go anywhere else; a media URL on api.twilio.com is
// fetched from apiBaseUrl when the channel sets one. Twilio answers with a
// redirect to its CDN, which is followed without the credentials. Media
// above Config.MaxMediaBytes are refused with 413 media_too_large, from
// Content-Length when Twilio gives one, otherwise by the returned Body,
// whose Read fails once the limit is passed. The answer must start within
// the HTTP client's timeout; the download itself lasts as long as ctx.
func (a *Adapter) FetchMedia(ctx context.Context, ch adapters.Channel, att adapters.Attachment) (adapters.Media, error) {
	if ch.Type != ChannelType {
		return adapters.Media{}, errMediaForbidden("not an SMS channel")
	}
	s, err := parseSettings(ch.Config)
	if err != nil {
		return adapters.Media{}, adapters.Errorf(http.StatusServiceUnavailable, "channel_misconfigured", "SMS channel configuration is invalid")
	}
	target, err := mediaTarget(att.URL, s.apiBase)
	if err != nil {
		return adapters.Media{}, err
	}

	reqCtx, cancel := context.WithCancel(ctx)
	headerTimeout := a.apiTimeout
	if headerTimeout <= 0 {
		headerTimeout = defaultTimeout
	}
	timer := time.AfterFunc(headerTimeout, cancel)
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, target, nil)
	if err != nil {
		timer.Stop()
		cancel()
		return adapters.Media{}, errMediaForbidden("media URL is not valid")
	}
	req.SetBasicAuth(s.accountSID, s.authToken)
	resp, err := a.mediaHTTP.Do(req)
	if !timer.Stop() {
		// The timer fired: whatever Do returned, the request is cancelled.
		if err == nil {
			_ = resp.Body.Close()
		}
		err = fmt.Errorf("no answer within %s", headerTimeout)
		if ctx.Err() != nil {
			err = ctx.Err()
		}
	}
	if err != nil {
		cancel()
		return adapters.Media{}, fmt.Errorf("sms: fetching media: %w", err)
	}

	fail := func(e error) (adapters.Media, error) {
		_ = resp.Body.Close()
		cancel()
		return adapters.Media{}, e
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fail(adapters.Errorf(http.StatusNotFound, "media_not_found", "the media no longer exists at Twilio"))
	case resp.StatusCode != http.StatusOK:
		a.log.Warn("sms: media download refused", "channel", ch.ID, "status", resp.StatusCode)
		return fail(adapters.Errorf(http.StatusBadGateway, "media_unavailable", "Twilio answered %d for the media", resp.StatusCode))
	case resp.ContentLength > a.cfg.MaxMediaBytes:
		return fail(adapters.MediaTooLarge(a.cfg.MaxMediaBytes))
	}
	contentType := resp.Header.Get("Content-Type")
	if contentType == "" {
		contentType = att.ContentType
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	return adapters.Media{
		Body:        adapters.CapBody(cancelOnClose{resp.Body, cancel}, a.cfg.MaxMediaBytes),
		ContentType: contentType,
		Size:        resp.ContentLength,
	}, nil
}

// mediaTarget checks that raw is on Twilio's API host (https) or the
// channel's apiBaseUrl, and returns the URL to fetch.
func mediaTarget(raw string, apiBase *url.URL) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errMediaForbidden("media URL is not an absolute http(s) URL")
	}
	host := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "https" && (host == twilioAPIHost || host == twilioAPIHost+":443"):
		if apiBase != nil {
			u.Scheme = apiBase.Scheme
			u.Host = apiBase.Host
			u.Path = apiBase.Path + u.Path
			u.RawPath = ""
		}
		return u.String(), nil
	case apiBase != nil && u.Scheme == apiBase.Scheme && host == apiBase.Host:
		return u.String(), nil
	}
	return "", errMediaForbidden("media URL is not on Twilio's API host")
}

// mediaRedirect follows Twilio's redirect to its CDN, dropping the
// credentials as soon as the host (or scheme) changes.
func mediaRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("too many redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
		req.Header.Del("Authorization")
	}
	return nil
}

func errMediaForbidden(msg string) error {
	return adapters.Errorf(http.StatusForbidden, "media_forbidden", "%s", msg)
}

// cancelOnClose ends the download's request when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
