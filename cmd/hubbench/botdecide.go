package main

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"syscall"
	"time"

	"hub/bot"
	"hub/inbox"
)

// The bot scenario times bot.Decide on one goroutine against 200 rules
// compiled once (bot.Compile, what the hub does when the rules change),
// with messages that match late or not at all, so most rules are looked
// at. The baseline is the uncompiled path the bot package keeps for old
// callers (Input.Rules without Input.RuleSet): every rule is prepared and
// tried for every message, patterns included. Both paths must give the
// same actions for every message of the mix, checked before timing.
const (
	botRules = 200
	botGoal  = 100000 // decisions per second on one core
	// Decisions per round: about a second of work each way.
	botCompiled   = 60000
	botUncompiled = 250
)

// botTopics are questions hotel and shop customers ask, per language in
// bot.Languages() order (en, fr, it, de, es): two keywords then a phrase.
var botTopics = [][5]string{
	{"wifi|internet|wifi password", "wifi|connexion|mot de passe", "wifi|internet|password del wifi", "wlan|internet|wlan passwort", "wifi|internet|clave del wifi"},
	{"breakfast|brunch|morning meal", "petit déjeuner|brunch|petit dej", "colazione|brunch|prima colazione", "frühstück|brunch|frühstücksbuffet", "desayuno|brunch|desayuno incluido"},
	{"parking|garage|where can i park", "parking|stationnement|garer la voiture", "parcheggio|garage|dove parcheggiare", "parkplatz|tiefgarage|wo parken", "aparcamiento|garaje|dónde aparcar"},
	{"checkout|departure|leave the room", "départ|check out|libérer la chambre", "partenza|check out|lasciare la camera", "abreise|auschecken|zimmer räumen", "salida|check out|dejar la habitación"},
	{"refund*|money back|get my money", "rembourse*|remboursement|être remboursé", "rimbors*|rimborso|soldi indietro", "erstattung|rückerstattung|geld zurück", "reembolso|devolución|devolver el dinero"},
	{"shuttle|taxi|airport transfer", "navette|taxi|transfert aéroport", "navetta|taxi|transfer aeroporto", "shuttle|taxi|flughafentransfer", "lanzadera|taxi|traslado al aeropuerto"},
	{"spa|sauna|swimming pool", "piscine|spa|bain à remous", "piscina|spa|centro benessere", "schwimmbad|sauna|wellness bereich", "piscina|spa|zona de bienestar"},
	{"towels|sheets|extra towel", "serviettes|draps|serviette de bain", "asciugamani|lenzuola|asciugamano in più", "handtücher|bettwäsche|noch ein handtuch", "toallas|sábanas|toalla extra"},
	{"pets|dog|bring our dog", "animaux|chien|venir avec notre chien", "animali|cane|portare il cane", "haustiere|hund|mit hund", "mascotas|perro|traer al perro"},
	{"invoice|receipt|vat number", "facture|reçu|numéro de tva", "fattura|ricevuta|partita iva", "rechnung|quittung|ust id", "factura|recibo|número de iva"},
	{"cancel*|cancellation|cancel my booking", "annul*|annulation|annuler ma réservation", "annull*|disdetta|cancellare la prenotazione", "storn*|stornierung|buchung stornieren", "cancel*|cancelación|cancelar mi reserva"},
	{"price|rate|how much", "prix|tarif|combien coûte", "prezzo|tariffa|quanto costa", "preis|kosten|wie viel kostet", "precio|tarifa|cuánto cuesta"},
	{"delivery|shipping|when will it arrive", "livraison|expédition|quand vais je recevoir", "consegna|spedizione|quando arriva", "lieferung|versand|wann kommt", "entrega|envío|cuándo llega"},
	{"discount|coupon|promo code", "réduction|remise|code promo", "sconto|coupon|codice promozionale", "rabatt|gutschein|rabattcode", "descuento|cupón|código promocional"},
	{"gym|fitness|work out", "salle de sport|fitness|salle de gym", "palestra|fitness|sala pesi", "fitnessraum|fitness|trainieren gehen", "gimnasio|fitness|hacer ejercicio"},
	{"laundry|ironing|wash my clothes", "blanchisserie|repassage|laver mes vêtements", "lavanderia|stirare|lavare i vestiti", "wäscherei|bügeln|wäsche waschen", "lavandería|planchar|lavar la ropa"},
	{"luggage|baggage|leave our bags", "bagages|bagagerie|laisser nos valises", "bagagli|valigie|lasciare le valigie", "gepäck|koffer|koffer abstellen", "equipaje|maletas|dejar las maletas"},
	{"noise|noisy|too loud", "bruit|bruyant|trop de bruit", "rumore|rumoroso|troppo rumore", "lärm|laut|zu laut", "ruido|ruidoso|mucho ruido"},
	{"wheelchair|accessible|disabled access", "fauteuil roulant|accessible|accès handicapé", "sedia a rotelle|accessibile|accesso disabili", "rollstuhl|barrierefrei|behindertengerecht", "silla de ruedas|accesible|acceso para discapacitados"},
	{"tracking|order status|where is my order", "suivi|colis|où est ma commande", "tracking|pacco|dove è il mio ordine", "sendungsverfolgung|paket|wo ist meine bestellung", "seguimiento|paquete|dónde está mi pedido"},
}

// botPatterns are what a rule may look for in a message as written:
// booking references, order numbers, dates, e-mail addresses, phones,
// head counts, links, amounts.
var botPatterns = []string{
	`\b[A-Z]{2}\d{6}\b`,
	`\border\s*#?\s*\d{5,}`,
	`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`,
	`[\w.+-]+@[\w-]+\.[a-z]{2,}`,
	`\+\d[\d ]{8,}\d`,
	`\b(?:room|chambre|camera|zimmer|habitaci[oó]n)\s*\d{1,4}\b`,
	`\bfor\s+\d+\s+(?:nights?|people|adults)`,
	`https?://\S+`,
	`(?:€|eur|euros?)\s*\d+|\d+\s*(?:€|eur|euros?)`,
	`\b(?:promo|code)\s*[:#]?\s*[A-Z0-9]{4,}\b`,
}

// botMessages match late (a low-priority rule, a pattern) or not at all,
// in each language, and none asks for a person (that would skip the rules).
var botMessages = []string{
	"Bonjour, nous arrivons samedi soir avec nos deux enfants, pourriez-vous nous donner une chambre au calme ? Merci",
	"Hello, one more question before we book again: is the terrace open in the evening, and do you have accessible rooms?",
	"Guten Abend, wir kommen am Samstag ziemlich spät an, ist das für Sie in Ordnung? Vielen Dank und schöne Grüße",
	"Could you check that everything is fine with reference XY654321 for next month please?",
	"Hola, somos tres adultos y queremos saber si el bar de la terraza abre por la noche durante el verano",
	"Buonasera, è possibile avere una stanza con vista sul lago per il nostro anniversario a settembre?",
}

// botRuleSet builds n rules: the topics in each language (every other
// English one for any language), mixed priorities, every fifth with a
// pattern and priority 0, some with buttons, a few disabled.
func botRuleSet(n int) []inbox.BotRule {
	langs := bot.Languages()
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	rules := make([]inbox.BotRule, n)
	for i := range rules {
		topic := i % len(botTopics)
		lang := (i / len(botTopics)) % len(langs)
		terms := strings.Split(botTopics[topic][lang], "|")
		r := inbox.BotRule{
			ID: fmt.Sprintf("r%03d", i), Name: fmt.Sprintf("%s %d", terms[0], i),
			Keywords: terms[:2], Phrases: terms[2:], Language: langs[lang],
			Answer:   "About " + terms[0] + ", {{contact.name}}: see our page.",
			Priority: (i * 7) % 10, Enabled: i%17 != 0,
			CreatedAt: t0.Add(time.Duration(i) * time.Minute),
		}
		if lang == 0 && i%2 == 0 {
			r.Language = ""
		}
		if i%5 == 4 {
			r.Patterns, r.Priority = []string{botPatterns[(i/5)%len(botPatterns)]}, 0
		}
		if i%9 == 0 {
			r.Buttons = []string{"Yes", "No", "Talk to someone"}
		}
		rules[i] = r
	}
	return rules
}

// botInputs are the message mix, for the compiled set (rs) or, with rs
// nil, for the uncompiled path.
func botInputs(rules []inbox.BotRule, rs *bot.RuleSet) []bot.Input {
	ins := make([]bot.Input, len(botMessages))
	for i, text := range botMessages {
		ins[i] = bot.Input{
			Conversation:  inbox.Conversation{Status: inbox.StatusBot},
			Message:       inbox.Message{Text: text},
			RuleSet:       rs,
			ContactName:   "Ana",
			WorkspaceName: "Hôtel du Lac",
			Now:           time.Date(2025, 6, 3, 14, 0, 0, 0, time.UTC),
		}
		if rs == nil {
			ins[i].Rules = rules
		}
	}
	return ins
}

// botRate decides count messages of ins in turn and returns decisions per
// CPU second of this process (user + system time, the garbage collector's
// included), so other load on the machine does not lower the figure, and
// per wall-clock second, for the log.
func botRate(ins []bot.Input, count int) (perCPU, perWall float64, err error) {
	cpu0, err := botSelfCPU()
	if err != nil {
		return 0, 0, err
	}
	actions := 0 // used, so the calls cannot be optimized away
	start := time.Now()
	for i := range count {
		actions += len(bot.Decide(ins[i%len(ins)]))
	}
	wall := time.Since(start)
	cpu1, err := botSelfCPU()
	if err != nil {
		return 0, 0, err
	}
	if actions == 0 || cpu1 <= cpu0 {
		return 0, 0, fmt.Errorf("no decision or no CPU time measured (%d actions)", actions)
	}
	return float64(count) / (cpu1 - cpu0).Seconds(), float64(count) / wall.Seconds(), nil
}

// botSelfCPU is the user plus system time this process has used.
func botSelfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

func runBot(ctx context.Context, b *bench) ([]row, error) {
	rules := botRuleSet(botRules)
	rs := bot.Compile(rules)
	compiled, uncompiled := botInputs(rules, rs), botInputs(rules, nil)
	matched := 0
	for i := range compiled {
		got, want := bot.Decide(compiled[i]), bot.Decide(uncompiled[i])
		if len(got) == 0 || !reflect.DeepEqual(got, want) {
			return nil, fmt.Errorf("message %d: compiled and uncompiled rules decide differently (%v, %v)", i, got, want)
		}
		if e := bot.Explain(compiled[i]); e.Rule != nil {
			matched++
			b.logf("bot: message %d fires rule %s (%s %q)", i, e.Rule.ID, e.Rule.Trigger, e.Rule.Matched)
		}
	}
	if matched == 0 || matched == len(compiled) {
		return nil, fmt.Errorf("the message mix should both match and miss: %d of %d match", matched, len(compiled))
	}
	b.logf("bot: %d rules enabled of %d; %d of %d messages match a rule", rs.Len(), len(rules), matched, len(compiled))

	nc, nu := botCompiled, botUncompiled
	if b.opt.Quick {
		nc, nu = nc/10, nu/10
	}
	timed := func(name string, ins []bot.Input, count int) func(ctx context.Context, round int) (float64, error) {
		return func(ctx context.Context, round int) (float64, error) {
			cpu, wall, err := botRate(ins, count)
			b.logf("bot round %d: %s %.0f decisions per CPU second (%.0f per wall-clock second)", round+1, name, cpu, wall)
			return cpu, err
		}
	}
	baseline, hub := timed("uncompiled", uncompiled, nu), timed("compiled", compiled, nc)
	base, hubs, err := alternate(ctx, b.opt.Rounds, baseline, hub)
	if err != nil {
		return nil, err
	}
	micros := func(rates []float64) []float64 {
		out := make([]float64, len(rates))
		for i, r := range rates {
			out[i] = 1e6 / r
		}
		return out
	}
	goal := fmt.Sprintf("measured (≥ %s/s per core)", idleThousands(botGoal))
	note := fmt.Sprintf("bot: bot.Decide on one goroutine, per CPU second of the bench process (GC included), %d rules (%d enabled) compiled once, messages in five languages "+
		"that match late or not at all; baseline: the same rules passed uncompiled (Input.Rules), which prepares and "+
		"tries every rule, patterns included, for each message.", len(rules), rs.Len())
	h := median(hubs)
	return []row{
		{Scenario: "bot", Metric: "decisions per CPU second, 200 rules", Unit: "/s", Baseline: median(base), Hub: h,
			Goal: goal, Met: h >= botGoal, Note: note},
		{Scenario: "bot", Metric: "CPU time per decision, 200 rules", Unit: "µs", Baseline: median(micros(base)),
			Hub: median(micros(hubs)), Goal: goal, Met: h >= botGoal, Note: note},
	}, nil
}
