package hub

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"hub/hub/api"
	"hub/inbox"
)

// DemoAdminEmail is the demo admin's login when HUB_ADMIN_EMAIL is unset.
const DemoAdminEmail = "admin@demo.hotel"

// Demo is what Bootstrap created.
type Demo struct {
	Workspace *inbox.Workspace
	Channel   *inbox.Channel
	Admin     *inbox.Agent
	// GeneratedPassword is set when no admin password was configured; it
	// is shown once and stored only as a hash.
	GeneratedPassword string
}

// demoRules are the demo hotel's first bot answers, in English and French.
var demoRules = []inbox.BotRule{
	{Name: "Wi-Fi", Keywords: []string{"wifi", "wi fi", "internet", "password", "mot de passe"}, Answer: "The Wi-Fi network is \"Hotel-Guests\"; the password is on your key card holder. / Le réseau Wi-Fi est « Hotel-Guests » ; le mot de passe est sur la pochette de votre carte.", Priority: 10},
	{Name: "Breakfast", Keywords: []string{"breakfast", "petit dejeuner", "petit-dejeuner", "colazione", "fruhstuck", "desayuno"}, Answer: "Breakfast is served from 7:00 to 10:30 in the garden room. / Le petit-déjeuner est servi de 7h à 10h30 dans la salle du jardin.", Priority: 10},
	{Name: "Check-in and check-out", Keywords: []string{"check in", "check out", "checkin", "checkout", "arrivee", "depart"}, Answer: "Check-in is from 15:00, check-out until 11:00. / L'arrivée se fait dès 15h, le départ jusqu'à 11h.", Priority: 10},
	{Name: "Parking", Keywords: []string{"parking", "car park", "garage", "voiture"}, Answer: "Our garage is open 24/7, 18 € per night; ask reception for a spot. / Notre garage est ouvert 24h/24, 18 € la nuit.", Priority: 5},
	{Name: "Booking changes", Keywords: []string{"cancel", "annuler", "change my booking", "modifier ma reservation"}, Answer: "A member of our team will help you with your booking. / Un membre de notre équipe va vous aider pour votre réservation.", Handoff: true, Priority: 20},
}

// Bootstrap creates the demo workspace on an empty store: a hotel with a
// web chat channel (bot on), a few bot rules and an admin. On a store that
// has any workspace it does nothing and returns nil.
func Bootstrap(ctx context.Context, svc *inbox.Service, adminEmail, adminPassword string) (*Demo, error) {
	store := svc.Store()
	existing, err := store.ListWorkspaces(ctx)
	if err != nil || len(existing) > 0 {
		return nil, err
	}
	ws, err := svc.CreateWorkspace(ctx, "Demo Hotel")
	if err != nil {
		return nil, err
	}
	ch, err := svc.CreateChannel(ctx, ws.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "Website chat", BotEnabled: true})
	if err != nil {
		return nil, err
	}
	for _, r := range demoRules {
		rule := r
		rule.ID = inbox.NewID()
		rule.WorkspaceID = ws.ID
		rule.Enabled = true
		rule.CreatedAt = svc.Now()
		if err := store.SaveBotRule(ctx, &rule); err != nil {
			return nil, err
		}
	}
	demo := &Demo{Workspace: ws, Channel: ch}
	if adminEmail == "" {
		adminEmail = DemoAdminEmail
	}
	if adminPassword == "" {
		adminPassword, err = GeneratePassword()
		if err != nil {
			return nil, err
		}
		demo.GeneratedPassword = adminPassword
	}
	hash, err := api.HashPassword(adminPassword)
	if err != nil {
		return nil, err
	}
	name, role := "Admin", inbox.RoleAdmin
	demo.Admin, err = svc.NewAgent(ctx, ws.ID, inbox.AgentInput{Email: &adminEmail, Name: &name, Role: &role, PasswordHash: &hash})
	return demo, err
}

// GeneratePassword returns a random 16-character password.
func GeneratePassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
