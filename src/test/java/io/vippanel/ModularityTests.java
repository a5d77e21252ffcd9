package io.vippanel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(VipPanel.class);

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersApi() {
        modules.verify();
        assertThat(modules.stream().map(module -> module.getIdentifier().toString()))
                .contains("platform", "tenancy", "identity", "audit", "jobs", "automation");
    }

    @Test
    void writesModuleDocumentation() throws Exception {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
        // Spring Modulith writes into the Maven build folder it finds beside pom.xml.
        Path components = Path.of("target", "spring-modulith-docs", "components.puml");
        assertThat(Files.readString(components)).contains("\"Identity\"", "\"Tenancy\"", "\"Audit\"");
    }
}
