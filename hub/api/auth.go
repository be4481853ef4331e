package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"hub/inbox"
)

// SessionCookie is the name of the HttpOnly cookie holding the session token.
const SessionCookie = "hub_session"

// passwordCost is bcrypt's work factor: about 50-100 ms per check on a
// small server, slow enough to make guessing expensive.
const passwordCost = 11

// MinPasswordLen is the shortest password accepted for an agent.
const MinPasswordLen = 10

// HashPassword returns the bcrypt hash of a password.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen {
		return "", inbox.Invalid("password", "the password must have at least %d characters", MinPasswordLen)
	}
	if len(password) > 72 {
		return "", inbox.Invalid("password", "the password must have at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	return string(h), err
}

// dummyHash is compared against when the email is unknown, so a wrong
// email takes as long as a wrong password and does not reveal who exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such agent, no such password"), passwordCost)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *API) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Email) == "" || req.Password == "" {
		return apiError(fiber.StatusBadRequest, "invalid_credentials_input", "email and password are required")
	}
	if blocked, wait := a.throttle.blocked(req.Email, c.IP()); blocked {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return errTooManyLogins
	}
	ctx := c.UserContext()
	agent, err := a.store.GetAgentByEmail(ctx, strings.TrimSpace(req.Email))
	if err != nil && !errors.Is(err, inbox.ErrNotFound) {
		return err
	}
	hash := dummyHash
	if agent != nil {
		hash = []byte(agent.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(req.Password)) != nil || agent == nil || agent.Disabled {
		a.throttle.failed(req.Email, c.IP())
		return errBadLogin
	}
	a.throttle.succeeded(req.Email)
	token, err := newToken()
	if err != nil {
		return err
	}
	now := a.now()
	s := &inbox.Session{TokenHash: hashToken(token), AgentID: agent.ID, WorkspaceID: agent.WorkspaceID, CreatedAt: now, ExpiresAt: now.Add(a.sessionTTL)}
	if err := a.store.CreateSession(ctx, s); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  s.ExpiresAt,
		HTTPOnly: true,
		Secure:   c.Protocol() == "https",
		SameSite: fiber.CookieSameSiteStrictMode,
	})
	return c.JSON(fiber.Map{"token": token, "expiresAt": s.ExpiresAt, "agent": agentView(agent)})
}

func (a *API) logout(c *fiber.Ctx) error {
	if token := sessionToken(c, false); token != "" {
		if err := a.store.DeleteSession(c.UserContext(), hashToken(token)); err != nil && !errors.Is(err, inbox.ErrNotFound) {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", Expires: time.Unix(0, 0), HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode})
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) me(c *fiber.Ctx) error {
	agent, err := a.store.GetAgent(c.UserContext(), actor(c).WorkspaceID, actor(c).AgentID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"agent": agentView(agent)})
}

// sessionToken finds the token: the Authorization bearer first, then the
// cookie, then (WebSocket upgrades only, where browsers cannot set headers)
// the token query parameter.
func sessionToken(c *fiber.Ctx, allowQuery bool) string {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	if token := c.Cookies(SessionCookie); token != "" {
		return token
	}
	if allowQuery {
		return c.Query("token")
	}
	return ""
}

// authenticate is the middleware of every /api route but login: it loads
// the session and the agent and puts the Actor in the context.
func (a *API) authenticate(allowQuery bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := sessionToken(c, allowQuery)
		if token == "" {
			return errUnauthorized
		}
		ctx := c.UserContext()
		s, err := a.store.GetSession(ctx, hashToken(token))
		if err != nil {
			if errors.Is(err, inbox.ErrNotFound) {
				return errUnauthorized
			}
			return err
		}
		if !a.now().Before(s.ExpiresAt) {
			_ = a.store.DeleteSession(ctx, s.TokenHash)
			return apiError(fiber.StatusUnauthorized, "session_expired", "your session has expired: log in again")
		}
		agent, err := a.store.GetAgent(ctx, s.WorkspaceID, s.AgentID)
		if err != nil || agent.Disabled {
			return errUnauthorized
		}
		c.Locals(actorKey{}, inbox.Actor{WorkspaceID: agent.WorkspaceID, AgentID: agent.ID, Name: agent.Name, Role: agent.Role})
		return c.Next()
	}
}

// requireAdmin guards admin routes.
func requireAdmin(c *fiber.Ctx) error {
	if !actor(c).IsAdmin() {
		return errAdminOnly
	}
	return c.Next()
}

type actorKey struct{}

// actor returns the authenticated agent of the request.
func actor(c *fiber.Ctx) inbox.Actor {
	a, _ := c.Locals(actorKey{}).(inbox.Actor)
	return a
}
