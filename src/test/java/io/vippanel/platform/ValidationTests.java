package io.vippanel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValidationTests {

    @Test
    void normalisesEmailsIncludingInternationalDomains() {
        Validation validation = new Validation();
        assertThat(validation.email("email", "  Ada@Example.COM ")).isEqualTo("ada@example.com");
        assertThat(validation.email("email", "info@Bücher.de")).isEqualTo("info@xn--bcher-kva.de");
        assertThat(validation.hasErrors()).isFalse();
    }

    @Test
    void rejectsMalformedEmails() {
        for (String bad : new String[] {"", "plain", "@example.com", "a@b", "a@-bad-.com", "a b@example.com", "x".repeat(250) + "@example.com",
                "a@exa_mple.com", "<script>@x.com"}) {
            Validation validation = new Validation();
            validation.email("email", bad);
            assertThat(validation.hasErrors()).as(bad).isTrue();
        }
        Validation ok = new Validation();
        assertThat(ok.email("email", "first.last+tag@sub.example.co.uk")).isEqualTo("first.last+tag@sub.example.co.uk");
        assertThat(ok.hasErrors()).isFalse();
    }

    @Test
    void requiredTextRefusesEmptyTooLongAndControlCharacters() {
        Validation validation = new Validation();
        validation.requiredText("a", "   ", 10);
        validation.requiredText("b", "x".repeat(11), 10);
        validation.requiredText("c", "evil\u202Etxt", 10);
        validation.requiredText("d", "nul\u0000", 10);
        assertThat(validation.requiredText("e", "  fine ", 10)).isEqualTo("fine");
        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.fieldErrors()).containsOnlyKeys("a", "b", "c", "d"));
    }

    @Test
    void limitsAreBlankOrWholeNumbersInRange() {
        Validation validation = new Validation();
        assertThat(validation.optionalLimit("a", "")).isNull();
        assertThat(validation.optionalLimit("b", " 12 ")).isEqualTo(12);
        validation.optionalLimit("c", "-1");
        validation.optionalLimit("d", "ten");
        validation.optionalLimit("e", "99999999999");
        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.fieldErrors()).containsOnlyKeys("c", "d", "e"));
    }

    @Test
    void filtersAreBlankOrShortCleanText() {
        Validation validation = new Validation();
        assertThat(validation.optionalFilter("a", null, 10)).isNull();
        assertThat(validation.optionalFilter("b", "   ", 10)).isNull();
        assertThat(validation.optionalFilter("c", " srv_1 ", 10)).isEqualTo("srv_1");
        validation.optionalFilter("d", "x".repeat(11), 10);
        validation.optionalFilter("e", "a\u0000b", 10);
        validation.optionalFilter("f", "\u202Eevil", 10);
        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.fieldErrors()).containsOnlyKeys("d", "e", "f"));
    }

    @Test
    void instantsAreDatesOrIsoTimesWithinTheYears1To9999() {
        Validation validation = new Validation();
        assertThat(validation.optionalInstant("a", "", false)).isNull();
        assertThat(validation.optionalInstant("b", "2026-11-25", false)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        // A date as the end of a range takes in that whole day.
        assertThat(validation.optionalInstant("c", "2026-11-25", true)).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(validation.optionalInstant("d", "2026-11-25T10:15:30.5Z", true)).isEqualTo(Instant.parse("2026-11-25T10:15:30.5Z"));
        assertThat(validation.optionalInstant("e", "9999-12-31", true)).isNotNull();
        assertThat(validation.hasErrors()).isFalse();
        validation.optionalInstant("f", "yesterday", false);
        validation.optionalInstant("g", "2026-13-45", false);
        validation.optionalInstant("h", "0000-01-01", false);
        validation.optionalInstant("i", "+300000-01-01T00:00:00Z", false);
        validation.optionalInstant("j", "-999999999-01-01T00:00:00Z", false);
        validation.optionalInstant("k", "2026-11-25T10:15:30", false);
        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.fieldErrors()).containsOnlyKeys("f", "g", "h", "i", "j", "k"));
    }

    @Test
    void idsHaveThePrefixAndEnoughEntropy() {
        String id = Ids.newId("ten");
        assertThat(id).matches("ten_[a-z2-9]{20}");
        assertThat(Ids.looksLike("ten", id)).isTrue();
        assertThat(Ids.looksLike("usr", id)).isFalse();
        assertThat(Ids.looksLike("ten", "ten_' OR 1=1 --")).isFalse();
        assertThat(Ids.newId("ten")).isNotEqualTo(id);
    }
}
