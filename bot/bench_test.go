package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

// benchTopics are what hotel and shop customers ask about, in English,
// French, Italian, German and Spanish. In each language the first two
// entries become keywords, the others phrases.
var benchTopics = [][6]string{
	{"wifi", "wifi|internet|wifi password", "wifi|connexion|mot de passe", "wifi|internet|password del wifi", "wlan|passwort|internet zugang", "wifi|contraseña|clave del wifi"},
	{"checkin", "check in|arrival|what time can we arrive", "arrivée|enregistrement|heure d arrivée", "arrivo|check in|a che ora possiamo arrivare", "anreise|einchecken|wann können wir anreisen", "llegada|registro|a qué hora podemos llegar"},
	{"checkout", "check out|departure|leave the room", "départ|libérer la chambre|heure de départ", "partenza|check out|lasciare la camera", "abreise|auschecken|zimmer räumen", "salida|dejar la habitación|hora de salida"},
	{"breakfast", "breakfast|brunch|morning meal", "petit déjeuner|brunch|petit dej", "colazione|brunch|prima colazione", "frühstück|brunch|frühstücksbuffet", "desayuno|brunch|desayuno incluido"},
	{"parking", "parking|car park|where can i park", "parking|stationnement|garer la voiture", "parcheggio|garage|dove parcheggiare", "parkplatz|tiefgarage|wo parken", "aparcamiento|parking|dónde aparcar"},
	{"spa", "spa|pool|swimming pool", "piscine|spa|bain à remous", "piscina|spa|centro benessere", "schwimmbad|sauna|wellness bereich", "piscina|spa|zona de bienestar"},
	{"shuttle", "shuttle|taxi|airport transfer", "navette|taxi|transfert aéroport", "navetta|taxi|transfer aeroporto", "shuttle|taxi|flughafentransfer", "lanzadera|taxi|traslado al aeropuerto"},
	{"refund", "refund*|money back|get my money", "rembourse*|remboursement|être remboursé", "rimbors*|rimborso|soldi indietro", "erstattung|rückerstattung|geld zurück", "reembolso|devolución del dinero|devolver el dinero"},
	{"delivery", "delivery|shipping|when will it arrive", "livraison|expédition|quand vais je recevoir", "consegna|spedizione|quando arriva", "lieferung|versand|wann kommt", "entrega|envío|cuándo llega"},
	{"hours", "opening hours|open today|what time do you open", "horaires|ouvert aujourd hui|heures d ouverture", "orari|aperto oggi|orario di apertura", "öffnungszeiten|heute geöffnet|wann öffnen sie", "horario|abierto hoy|a qué hora abren"},
	{"restaurant", "restaurant|dinner|table for", "restaurant|dîner|réserver une table", "ristorante|cena|prenotare un tavolo", "restaurant|abendessen|tisch reservieren", "restaurante|cena|reservar una mesa"},
	{"roomservice", "room service|order food|food to the room", "room service|service en chambre|repas en chambre", "servizio in camera|room service|cibo in camera", "zimmerservice|room service|essen aufs zimmer", "servicio de habitaciones|room service|comida en la habitación"},
	{"towels", "towels|extra towel|more towels", "serviettes|serviette de bain|draps propres", "asciugamani|lenzuola|asciugamano in più", "handtücher|handtuch|bettwäsche", "toallas|toalla extra|sábanas"},
	{"cleaning", "housekeeping|cleaning|clean the room", "ménage|nettoyage|faire la chambre", "pulizia|pulizie|pulire la camera", "reinigung|zimmerreinigung|zimmer sauber machen", "limpieza|limpiar la habitación|servicio de limpieza"},
	{"latecheckout", "late checkout|leave later|stay longer", "départ tardif|partir plus tard|rester plus longtemps", "partenza posticipata|late checkout|restare più a lungo", "später auschecken|late checkout|länger bleiben", "salida tardía|salir más tarde|quedarnos más tiempo"},
	{"luggage", "luggage|baggage|leave our bags", "bagages|bagagerie|laisser nos valises", "bagagli|deposito bagagli|lasciare le valigie", "gepäck|gepäckaufbewahrung|koffer abstellen", "equipaje|consigna|dejar las maletas"},
	{"pets", "pets|dog|bring our dog", "animaux|chien|venir avec notre chien", "animali|cane|portare il cane", "haustiere|hund|mit hund", "mascotas|perro|traer al perro"},
	{"gym", "gym|fitness|work out", "salle de sport|fitness|salle de gym", "palestra|fitness|sala pesi", "fitnessraum|fitnessstudio|trainieren", "gimnasio|fitness|hacer ejercicio"},
	{"laundry", "laundry|ironing|wash my clothes", "blanchisserie|repassage|laver mes vêtements", "lavanderia|stirare|lavare i vestiti", "wäscherei|bügeln|wäsche waschen", "lavandería|planchar|lavar la ropa"},
	{"minibar", "minibar|fridge|mini bar", "minibar|frigo|réfrigérateur", "minibar|frigorifero|frigo", "minibar|kühlschrank|mini bar", "minibar|nevera|frigorífico"},
	{"aircon", "air conditioning|aircon|too hot", "climatisation|clim|trop chaud", "aria condizionata|condizionatore|troppo caldo", "klimaanlage|klima|zu heiß", "aire acondicionado|climatización|demasiado calor"},
	{"heating", "heating|radiator|too cold", "chauffage|radiateur|trop froid", "riscaldamento|termosifone|troppo freddo", "heizung|heizkörper|zu kalt", "calefacción|radiador|demasiado frío"},
	{"noise", "noise|noisy|too loud", "bruit|bruyant|trop de bruit", "rumore|rumoroso|troppo rumore", "lärm|laut|zu laut", "ruido|ruidoso|mucho ruido"},
	{"invoice", "invoice|receipt|vat number", "facture|reçu|numéro de tva", "fattura|ricevuta|partita iva", "rechnung|quittung|ust id", "factura|recibo|número de iva"},
	{"payment", "payment|credit card|pay by card", "paiement|carte bancaire|payer par carte", "pagamento|carta di credito|pagare con carta", "zahlung|kreditkarte|mit karte zahlen", "pago|tarjeta de crédito|pagar con tarjeta"},
	{"cancel", "cancel*|cancellation|cancel my booking", "annul*|annulation|annuler ma réservation", "annull*|cancellazione|cancellare la prenotazione", "storn*|stornierung|buchung stornieren", "cancel*|cancelación|cancelar mi reserva"},
	{"modify", "change my booking|modify|change the dates", "modifier|changer les dates|modifier ma réservation", "modificare|cambiare le date|modificare la prenotazione", "umbuchen|daten ändern|buchung ändern", "modificar|cambiar las fechas|modificar mi reserva"},
	{"price", "price|rate|how much", "prix|tarif|combien coûte", "prezzo|tariffa|quanto costa", "preis|kosten|wie viel kostet", "precio|tarifa|cuánto cuesta"},
	{"availability", "availability|available rooms|free room", "disponibilité|chambre libre|chambres disponibles", "disponibilità|camera libera|camere disponibili", "verfügbarkeit|freies zimmer|zimmer frei", "disponibilidad|habitación libre|habitaciones disponibles"},
	{"groups", "group booking|conference|seminar", "groupe|séminaire|réservation de groupe", "gruppo|convegno|prenotazione di gruppo", "gruppenbuchung|tagung|seminar", "grupo|congreso|reserva de grupo"},
	{"wedding", "wedding|event|private party", "mariage|événement|soirée privée", "matrimonio|evento|festa privata", "hochzeit|veranstaltung|private feier", "boda|evento|fiesta privada"},
	{"giftcard", "gift card|voucher|gift voucher", "carte cadeau|bon cadeau|chèque cadeau", "buono regalo|carta regalo|voucher", "gutschein|geschenkgutschein|geschenkkarte", "tarjeta regalo|vale regalo|bono regalo"},
	{"loyalty", "loyalty|points|member card", "fidélité|points|carte membre", "fedeltà|punti|tessera", "treueprogramm|punkte|mitgliedskarte", "fidelidad|puntos|tarjeta de socio"},
	{"return", "return*|exchange|send it back", "retour|échange|renvoyer le colis", "reso|cambio|restituire il pacco", "rücksendung|umtausch|zurückschicken", "devolución|cambio|devolver el paquete"},
	{"tracking", "tracking|order status|where is my order", "suivi|suivi de commande|où est ma commande", "tracking|stato dell ordine|dove è il mio ordine", "sendungsverfolgung|bestellstatus|wo ist meine bestellung", "seguimiento|estado del pedido|dónde está mi pedido"},
	{"size", "size guide|sizes|which size", "guide des tailles|taille|quelle taille", "guida alle taglie|taglia|che taglia", "größentabelle|größe|welche größe", "guía de tallas|talla|qué talla"},
	{"stock", "in stock|out of stock|back in stock", "en stock|rupture de stock|de nouveau disponible", "disponibile|esaurito|di nuovo disponibile", "auf lager|ausverkauft|wieder verfügbar", "en stock|agotado|disponible de nuevo"},
	{"discount", "discount|promo code|coupon", "réduction|code promo|remise", "sconto|codice promozionale|coupon", "rabatt|gutscheincode|rabattcode", "descuento|código promocional|cupón"},
	{"baby", "baby cot|crib|high chair", "lit bébé|berceau|chaise haute", "culla|lettino|seggiolone", "babybett|kinderbett|hochstuhl", "cuna|cama de bebé|trona"},
	{"accessibility", "wheelchair|accessible|disabled access", "fauteuil roulant|accessible|accès handicapé", "sedia a rotelle|accessibile|accesso disabili", "rollstuhl|barrierefrei|behindertengerecht", "silla de ruedas|accesible|acceso para discapacitados"},
}

// benchPatterns are patterns a hotel or shop might use: room numbers,
// booking references, order numbers, dates, e-mail addresses, phones,
// times, head counts, links, prices. Each serves two rules.
var benchPatterns = []string{
	`\b(?:room|chambre|camera|zimmer|habitaci[oó]n)\s*(?:n[o°.]?\s*)?\d{1,4}\b`,
	`\b[A-Z]{2}\d{6}\b`,
	`\border\s*#?\s*\d{5,}`,
	`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`,
	`[\w.+-]+@[\w-]+\.[a-z]{2,}`,
	`\+\d[\d ]{8,}\d`,
	`(?:booking|réservation|prenotazione|buchung|reserva)\s*(?:ref|nr|n°|no|number|numéro|numero|nummer|número)`,
	`\b(?:promo|code)\s*[:#]?\s*[A-Z0-9]{4,}\b`,
	`\b\d{1,2}\s*(?:h|:)\s*\d{0,2}\b`,
	`\b(?:tomorrow|demain|domani|morgen|mañana)\b`,
	`\bfor\s+\d+\s+(?:nights?|people|persons|adults)`,
	`\b\d+\s*(?:nuits?|personnes|adultes)\b`,
	`\b\d+\s*(?:notti|persone|adulti)\b`,
	`\b\d+\s*(?:nächte|nacht|personen|erwachsene)\b`,
	`\b\d+\s*(?:noches?|personas|adultos)\b`,
	`https?://\S+`,
	`\b(?:visa|mastercard|amex)\b`,
	`\b(?:iban|bic|swift)\b`,
	`\b[0-9]{5}\b`,
	`(?:€|eur|euros?)\s*\d+|\d+\s*(?:€|eur|euros?)`,
}

// benchRules builds n realistic rules: the topics in each language (half
// of the English ones for any language), mixed priorities, every fifth
// with a pattern, some with buttons.
func benchRules(n int) []inbox.BotRule {
	rules := make([]inbox.BotRule, n)
	for i := range rules {
		topic := benchTopics[i%len(benchTopics)]
		langIdx := (i / len(benchTopics)) % len(languages)
		terms := strings.Split(topic[1+langIdx], "|")
		r := inbox.BotRule{
			ID: fmt.Sprintf("r%03d", i), Name: topic[0] + " " + languages[langIdx],
			Keywords: terms[:2], Phrases: terms[2:],
			Language: languages[langIdx],
			Answer:   "About " + topic[0] + ", {{contact.name}}: see our page.",
			Priority: (i * 7) % 10, Enabled: i%17 != 0,
			CreatedAt: t0.Add(time.Duration(i) * time.Minute),
		}
		if langIdx == 0 && i%2 == 0 {
			r.Language = ""
		}
		if i%5 == 4 {
			r.Patterns = []string{benchPatterns[(i/5)%len(benchPatterns)]}
			r.Priority = 0
		}
		if i%9 == 0 {
			r.Buttons = []string{"Yes", "No", "Talk to someone"}
		}
		rules[i] = r
	}
	return rules
}

// benchMessages match late (a low-priority rule, a pattern) or not at all.
var benchMessages = []string{
	"Bonjour, nous arrivons vendredi soir avec deux enfants, est-ce que c'est possible d'avoir une chambre calme ? Merci beaucoup",
	"Hi there, we had a lovely stay, just one more question before we book again: do you have any accessible rooms?",
	"Hallo, wir kommen am Freitag gegen 18 Uhr, ist das in Ordnung für Sie? Vielen Dank und schöne Grüße",
	"My reference is AB123456, could you confirm everything is fine for next week please?",
	"Hola, ¿qué tal? Somos cuatro adultos y queremos saber si la terraza está abierta por la noche",
	"Buonasera, volevamo sapere se è possibile avere una stanza con vista sul lago per il nostro anniversario",
}

func benchInput(rs *RuleSet, text string) Input {
	return Input{
		Conversation:  inbox.Conversation{Status: inbox.StatusBot},
		Message:       inbox.Message{Text: text},
		RuleSet:       rs,
		ContactName:   "Ana",
		WorkspaceName: "Hôtel du Lac",
		Now:           time.Date(2025, 6, 3, 14, 0, 0, 0, time.UTC),
	}
}

// TestBenchMessages pins what the benchmark measures, so it never times a
// broken path.
func TestBenchMessages(t *testing.T) {
	rs := Compile(benchRules(200))
	if rs.Len() < 180 || len(rs.patterned) < 30 {
		t.Fatalf("rule set: %d rules, %d with patterns", rs.Len(), len(rs.patterned))
	}
	for _, text := range benchMessages {
		e := Explain(benchInput(rs, text))
		name := "none"
		if e.Rule != nil {
			name = fmt.Sprintf("%s %s %s %q", e.Rule.ID, e.Rule.Name, e.Rule.Trigger, e.Rule.Matched)
		}
		t.Logf("%-60.60q lang=%q rule=%s", text, e.Language, name)
	}
	want := map[int]string{0: "", 1: "accessible", 2: "", 3: "AB123456", 4: "", 5: ""}
	for i, matched := range want {
		e := Explain(benchInput(rs, benchMessages[i]))
		got := ""
		if e.Rule != nil {
			got = e.Rule.Matched
		}
		if got != matched {
			t.Errorf("message %d: matched %q, want %q", i, got, matched)
		}
	}
}

// BenchmarkDecide200Rules decides messages that match late or not at all
// against a compiled set of 200 rules. ns/op is per decision.
func BenchmarkDecide200Rules(b *testing.B) {
	rs := Compile(benchRules(200))
	ins := make([]Input, len(benchMessages))
	for i, text := range benchMessages {
		ins[i] = benchInput(rs, text)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Decide(ins[i])
		if i++; i == len(ins) {
			i = 0
		}
	}
}

// BenchmarkDecide200RulesNoMatch is the worst case: a long message no rule
// matches, so every pattern is tried.
func BenchmarkDecide200RulesNoMatch(b *testing.B) {
	in := benchInput(Compile(benchRules(200)), benchMessages[0]+" "+benchMessages[2])
	b.ReportAllocs()
	for b.Loop() {
		Decide(in)
	}
}

// BenchmarkDecide200RulesUncompiled passes Input.Rules: the set is compiled
// for every call, the slow path kept for old callers.
func BenchmarkDecide200RulesUncompiled(b *testing.B) {
	in := benchInput(nil, benchMessages[0])
	in.Rules = benchRules(200)
	b.ReportAllocs()
	for b.Loop() {
		Decide(in)
	}
}

// BenchmarkCompile200Rules is what a change of the rules costs.
func BenchmarkCompile200Rules(b *testing.B) {
	rules := benchRules(200)
	b.ReportAllocs()
	for b.Loop() {
		Compile(rules)
	}
}
