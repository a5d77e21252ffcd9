package io.vippanel.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vippanel.automation.internal.AutomationFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the runner finds playbooks: the configured folder, or the copy bundled in the jar extracted to the data dir. */
class AutomationFilesTests {

    @TempDir
    Path dataDir;

    @Test
    void usesTheConfiguredFolderWhenItHasPlaybooks() {
        AutomationFiles files = AutomationFiles.configured(Path.of("automation"), dataDir);

        assertThat(files.directory()).isEqualTo(Path.of("automation").toAbsolutePath());
        assertThat(files.playbook("check-connection.yml")).exists();
        assertThat(dataDir.resolve("automation")).doesNotExist();
    }

    @Test
    void extractsTheBundledCopyOnceIntoAFolderNamedByItsContentAndLeavesOtherVersionsAlone() throws Exception {
        Path olderVersion = dataDir.resolve("automation/0123456789abcdef/playbooks/removed-in-this-version.yml");
        Files.createDirectories(olderVersion.getParent());
        Files.writeString(olderVersion, "- hosts: all\n");

        AutomationFiles files = AutomationFiles.configured(dataDir.resolve("not-here"), dataDir);

        Path extracted = files.directory();
        assertThat(extracted.getParent()).isEqualTo(dataDir.resolve("automation").toAbsolutePath());
        assertThat(extracted.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(files.playbook("check-connection.yml")).hasSameTextualContentAs(Path.of("automation/playbooks/check-connection.yml"));
        assertThat(extracted.resolve("README.md")).exists();
        assertThat(extracted.resolve("roles")).isDirectory();
        assertThat(extracted.resolve("templates")).isDirectory();
        assertThat(olderVersion).as("a process of the older version may still run from it").exists();
        try (var entries = Files.list(dataDir.resolve("automation"))) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .as("no half-extracted folder is left").containsExactlyInAnyOrder("0123456789abcdef", extracted.getFileName().toString());
        }

        // A second process of the same version finds the folder and writes nothing.
        Path playbook = extracted.resolve("playbooks/check-connection.yml");
        var writtenAt = Files.getLastModifiedTime(playbook);
        Thread.sleep(20);
        AutomationFiles again = AutomationFiles.configured(dataDir.resolve("not-here"), dataDir);
        assertThat(again.directory()).isEqualTo(extracted);
        assertThat(Files.getLastModifiedTime(playbook)).isEqualTo(writtenAt);
    }

    @Test
    void refusesPlaybooksOutsideThePlaybooksFolder() {
        AutomationFiles files = AutomationFiles.at(Path.of("automation"));

        assertThatThrownBy(() -> files.playbook("../README.md")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.playbook("missing.yml")).hasMessageContaining("No playbook missing.yml");
    }
}
