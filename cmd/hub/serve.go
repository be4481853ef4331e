package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"

	"hub/adapters/partner"
	"hub/adapters/sms"
	"hub/adapters/telegram"
	"hub/adapters/webchat"
	"hub/config"
	"hub/hub"
)

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing the store", "err", err)
		}
	}()
	secret, err := hub.LoadSecret(cfg.DataDir, cfg.SecretKey)
	if err != nil {
		return err
	}
	h := hub.New(hub.Options{Config: cfg, Store: store, Logger: log, SecretKey: secret})
	public := cfg.PublicBaseURL()
	for _, typ := range channelTypes {
		switch typ {
		case "webchat":
			h.Register(webchat.New(webchat.Config{Secret: secret, MaxTextChars: cfg.MaxMessageChars, Logger: log}, h, h.WebchatBackend()))
		case "sms":
			h.Register(sms.New(sms.Config{PublicURL: public, Logger: log}, h, h.Directory()))
		case "telegram":
			h.Register(telegram.New(telegram.Config{PublicURL: public, Logger: log}, h, h.Directory()))
		case "partner":
			h.Register(partner.New(partner.Config{PublicURL: public, Logger: log, MaxTextChars: cfg.MaxMessageChars, MaxBodyBytes: cfg.MaxBodyBytes}, h, h.Directory()))
		}
	}

	var demo *hub.Demo
	if cfg.Demo {
		if demo, err = hub.Bootstrap(ctx, h.Service(), cfg.AdminEmail, cfg.AdminPassword); err != nil {
			return fmt.Errorf("creating the demo workspace: %w", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	base := cfg.PublicBaseURL()
	log.Info("hub listening", "addr", ln.Addr().String(), "store", storeName(cfg), "publicUrl", base)
	fmt.Fprintf(stdout, "hub is running\n  agent inbox: %s/\n  demo site:   %s/demo\n", base, base)
	if demo != nil {
		fmt.Fprintf(stdout, "  demo admin:  %s\n", demo.Admin.Email)
		if demo.GeneratedPassword != "" {
			// Shown once, on purpose: it is stored only as a hash.
			fmt.Fprintf(stdout, "  password:    %s   (shown once; set HUB_ADMIN_PASSWORD to choose it)\n", demo.GeneratedPassword)
		}
	}
	return h.Run(ctx, ln)
}

// channelTypes are the adapters this build includes.
var channelTypes = []string{"webchat", "sms", "telegram", "partner"}
