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
    void extractsTheBundledCopyWhenTheConfiguredFolderIsMissingAndReplacesAnOlderOne() throws Exception {
        Path stale = dataDir.resolve("automation/playbooks/removed-in-this-version.yml");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "- hosts: all\n");

        AutomationFiles files = AutomationFiles.configured(dataDir.resolve("not-here"), dataDir);

        assertThat(files.directory()).isEqualTo(dataDir.resolve("automation").toAbsolutePath());
        assertThat(files.playbook("check-connection.yml")).hasSameTextualContentAs(Path.of("automation/playbooks/check-connection.yml"));
        assertThat(dataDir.resolve("automation/README.md")).exists();
        assertThat(dataDir.resolve("automation/roles")).isDirectory();
        assertThat(dataDir.resolve("automation/templates")).isDirectory();
        assertThat(stale).doesNotExist();
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers.map(path -> path.getFileName().toString())).containsExactly("automation");
        }
    }

    @Test
    void refusesPlaybooksOutsideThePlaybooksFolder() {
        AutomationFiles files = AutomationFiles.at(Path.of("automation"));

        assertThatThrownBy(() -> files.playbook("../README.md")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.playbook("missing.yml")).hasMessageContaining("No playbook missing.yml");
    }
}
