package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"hub/config"
	"hub/hub"
	"hub/hub/api"
	"hub/inbox"
)

// workspaceCommand handles "hub workspace add NAME EMAIL": a new hotel or
// shop with its own admin.
func workspaceCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 3 || args[0] != "add" {
		return errors.New("usage: hub workspace add NAME ADMIN_EMAIL")
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := inbox.NewService(store, nil, inbox.Limits{})
	password := cfg.AdminPassword
	generated := password == ""
	if generated {
		if password, err = hub.GeneratePassword(); err != nil {
			return err
		}
	}
	hash, err := api.HashPassword(password)
	if err != nil {
		return err
	}
	ws, err := svc.CreateWorkspace(ctx, args[1])
	if err != nil {
		return err
	}
	email, name, role := args[2], "Admin", inbox.RoleAdmin
	admin, err := svc.NewAgent(ctx, ws.ID, inbox.AgentInput{Email: &email, Name: &name, Role: &role, PasswordHash: &hash})
	if err != nil {
		return fmt.Errorf("creating the admin: %w", err)
	}
	log.Info("workspace created", "workspace", ws.ID)
	fmt.Fprintf(stdout, "workspace %q (%s) created\n  admin: %s\n", ws.Name, ws.ID, admin.Email)
	if generated {
		fmt.Fprintf(stdout, "  password: %s   (shown once)\n", password)
	}
	return nil
}
