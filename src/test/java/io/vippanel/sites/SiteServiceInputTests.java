package io.vippanel.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.Validation;
import io.vippanel.sites.internal.CommandLine;
import io.vippanel.sites.internal.CronSchedule;
import io.vippanel.sites.internal.DatabaseNames;
import io.vippanel.sites.internal.DotEnv;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of what people type for a site's environment, cron jobs, workers and databases. */
class SiteServiceInputTests {

    private static String error(Runnable check, String field) {
        try {
            check.run();
        } catch (InvalidInput e) {
            return e.fieldErrors().get(field);
        }
        throw new AssertionError("no error");
    }

    @Test
    void aDotEnvTakesAssignmentsCommentsBlankLinesAndQuotedValues() {
        DotEnv env = DotEnv.parse("""
                # the app
                APP_NAME="My App"   # shown in mails
                export APP_ENV=production

                DB_PASSWORD='p#ss w=rd'
                EMPTY=
                _UNDER_1 = spaced
                """);
        assertThat(env.values()).containsExactly(Map.entry("APP_NAME", "My App"), Map.entry("APP_ENV", "production"),
                Map.entry("DB_PASSWORD", "p#ss w=rd"), Map.entry("EMPTY", ""), Map.entry("_UNDER_1", "spaced"));
        assertThat(env.toString()).doesNotContain("p#ss");
        assertThat(DotEnv.parse("").values()).isEmpty();
        assertThat(DotEnv.parse("A=1\r\nB=2\r\n").values()).containsOnlyKeys("A", "B");
    }

    @Test
    void aBadDotEnvLineIsNamedByItsNumberWithoutEchoingValues() {
        assertThat(error(() -> DotEnv.parse("A=1\nthis is no assignment secret-value\n"), "dotenv"))
                .startsWith("Line 2 is not an assignment").doesNotContain("secret-value");
        assertThat(error(() -> DotEnv.parse("A=1\n\n1ABC=x\n"), "dotenv")).startsWith("Line 3").contains("[1ABC]");
        assertThat(error(() -> DotEnv.parse("BAD-NAME=x"), "dotenv")).startsWith("Line 1");
        assertThat(error(() -> DotEnv.parse("A=\"open\n"), "dotenv")).startsWith("Line 1").contains("quote");
        assertThat(error(() -> DotEnv.parse("A='x' trailing"), "dotenv")).startsWith("Line 1");
        assertThat(error(() -> DotEnv.parse("A=1\nB=2\nA=3"), "dotenv")).isEqualTo("Line 3: A is already set on line 1.");
        assertThat(error(() -> DotEnv.parse("A=1\nB=x\0y"), "dotenv")).startsWith("Line 2").contains("NUL");
        assertThat(error(() -> DotEnv.parse("A=" + "x".repeat(DotEnv.MAX_BYTES)), "dotenv")).contains("64 KiB");
    }

    @Test
    void changedNamesListAddedRemovedAndChangedVariablesOnly() {
        DotEnv before = DotEnv.parse("A=1\nB=2\nC=3");
        DotEnv after = DotEnv.parse("A=1\nB=22\nD=4");
        assertThat(after.changedNames(before)).containsExactly("B", "C", "D");
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * * *", "*/5 * * * *", "0 3 * * 1-5", "15,45 */2 1 jan,JUL sun", "0 0 1-15/2 * *",
            "59 23 31 12 7", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@reboot", "@Annually", "0 0 * * mon-fri"})
    void validCronSchedulesAreAccepted(String expression) {
        assertThat(CronSchedule.normalize(expression)).isEqualTo(expression.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void cronSchedulesAreNormalisedAndBadOnesExplained() {
        assertThat(CronSchedule.normalize("  */5   *\t* * *  ")).isEqualTo("*/5 * * * *");
        assertThat(error(() -> CronSchedule.normalize("61 * * * *"), "expression")).contains("minute").contains("0 to 59");
        assertThat(error(() -> CronSchedule.normalize("* 24 * * *"), "expression")).contains("hour");
        assertThat(error(() -> CronSchedule.normalize("* * 0 * *"), "expression")).contains("day of month");
        assertThat(error(() -> CronSchedule.normalize("* * * 13 *"), "expression")).contains("month");
        assertThat(error(() -> CronSchedule.normalize("* * * * 8"), "expression")).contains("day of week");
        assertThat(error(() -> CronSchedule.normalize("* * *"), "expression")).contains("five fields").contains("has 3");
        assertThat(error(() -> CronSchedule.normalize("* * * * * *"), "expression")).contains("has 6");
        assertThat(error(() -> CronSchedule.normalize("*/0 * * * *"), "expression")).contains("step");
        assertThat(error(() -> CronSchedule.normalize("5/10 * * * *"), "expression")).contains("step");
        assertThat(error(() -> CronSchedule.normalize("10-5 * * * *"), "expression")).contains("lower");
        assertThat(error(() -> CronSchedule.normalize("1,,2 * * * *"), "expression")).contains("minute");
        assertThat(error(() -> CronSchedule.normalize("@often"), "expression")).contains("@hourly");
        assertThat(error(() -> CronSchedule.normalize(""), "expression")).contains("Enter a schedule");
        assertThat(error(() -> CronSchedule.normalize("* * * foo *"), "expression")).contains("month");
    }

    @Test
    void commandsAreSplitIntoArgumentsWithQuotes() {
        assertThat(CommandLine.argv("command", "php artisan queue:work --sleep=3 --tries=3"))
                .containsExactly("php", "artisan", "queue:work", "--sleep=3", "--tries=3");
        assertThat(CommandLine.argv("command", "  node 'my server.js'  \"--name=a b\" x''y ")).containsExactly("node", "my server.js",
                "--name=a b", "xy");
        assertThat(CommandLine.argv("command", "wp cron event run --due-now ''")).containsExactly("wp", "cron", "event", "run",
                "--due-now", "");
        assertThat(CommandLine.check("command", "  php artisan schedule:run ")).isEqualTo("php artisan schedule:run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a; b", "a && b", "a | b", "echo $HOME", "echo `id`", "a > out", "a < in", "$(id)", "{a,b}", "a\\ b",
            "a &", "(a)"})
    void shellMetacharactersAreRefusedWithTheReason(String command) {
        assertThat(error(() -> CommandLine.argv("command", command), "command")).contains("without a shell");
    }

    @Test
    void commandsAreOneLineWithoutControlCharactersAndNotTooLong() {
        assertThat(error(() -> CommandLine.argv("command", "a\nb"), "command")).contains("one line");
        assertThat(error(() -> CommandLine.argv("command", "a\0b"), "command")).contains("control character");
        assertThat(error(() -> CommandLine.argv("command", "   "), "command")).contains("Enter the command");
        assertThat(error(() -> CommandLine.argv("command", "a".repeat(1001)), "command")).contains("1000");
        assertThat(error(() -> CommandLine.argv("command", "echo 'open"), "command")).contains("quote");
    }

    @Test
    void databaseNamesAreIdentifiersThatTheServerDoesNotOwn() {
        Validation validation = new Validation();
        assertThat(DatabaseNames.name(validation, "name", " Shop_1 ")).isEqualTo("shop_1");
        assertThat(DatabaseNames.user(validation, "username", "shop")).isEqualTo("shop");
        assertThat(validation.hasErrors()).isFalse();
        for (String bad : List.of("", "a", "1shop", "shop-db", "shop db", "x".repeat(65), "mysql", "information_schema",
                "performance_schema", "sys", "postgres", "template0", "template1", "root", "vipadmin", "pg_anything")) {
            Validation check = new Validation();
            DatabaseNames.name(check, "name", bad);
            assertThat(check.hasErrors()).as(bad).isTrue();
        }
        Validation longUser = new Validation();
        DatabaseNames.user(longUser, "username", "u".repeat(33));
        assertThatThrownBy(longUser::throwIfInvalid).isInstanceOf(InvalidInput.class).hasMessageContaining("32");
    }

    @Test
    void laravelSitesGetTheSchedulerAndAQueueWorkerAsPresets() {
        assertThat(SiteCronJobs.presets(SiteType.LARAVEL)).singleElement()
                .satisfies(preset -> assertThat(preset.command()).isEqualTo("php artisan schedule:run"));
        assertThat(SiteWorkers.presets(SiteType.LARAVEL)).singleElement()
                .satisfies(preset -> assertThat(preset.command()).isEqualTo("php artisan queue:work --sleep=3 --tries=3"));
        assertThat(SiteCronJobs.presets(SiteType.STATIC)).isEmpty();
        assertThat(SiteWorkers.presets(SiteType.PHP)).isEmpty();
        SiteCronJobs.presets(SiteType.LARAVEL).forEach(preset -> CronSchedule.normalize(preset.expression()));
        SiteWorkers.presets(SiteType.LARAVEL).forEach(preset -> CommandLine.argv("command", preset.command()));
    }
}
