package io.vippanel.servers.internal.provider.vultr;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parts of the Vultr API's JSON that the panel reads and sends, as documented at vultr.com/api. */
final class VultrJson {

    private VultrJson() {
    }

    record CursorLinks(@Nullable String next) {
    }

    record Meta(@Nullable CursorLinks links) {
    }

    record Account(@Nullable String name, @Nullable String email) {
    }

    record AccountAnswer(Account account) {
    }

    record RegionItem(String id, @Nullable String city, @Nullable String country) {
    }

    record Regions(List<RegionItem> regions, @Nullable Meta meta) {
    }

    record Plan(String id, int vcpuCount, int ram, int disk, @Nullable BigDecimal monthlyCost,
                @Nullable BigDecimal hourlyCost, @Nullable String type, @Nullable List<String> locations) {
    }

    record Plans(List<Plan> plans, @Nullable Meta meta) {
    }

    record Os(int id, String name, @Nullable String arch, @Nullable String family) {
    }

    record OsList(List<Os> os, @Nullable Meta meta) {
    }

    record NewSshKey(String name, String sshKey) {
    }

    record SshKey(String id, String name, @Nullable String sshKey) {
    }

    record SshKeyAnswer(SshKey sshKey) {
    }

    record NewInstance(String region, String plan, int osId, String label, String hostname, List<String> sshkeyId,
                       List<String> tags, boolean enableIpv6) {
    }

    record Instance(String id, @Nullable String label, @Nullable String hostname, @Nullable String status,
                    @Nullable String powerStatus, @Nullable String mainIp, @Nullable String v6MainIp,
                    @Nullable String region, @Nullable String plan) {
    }

    record InstanceAnswer(Instance instance) {
    }

    record InstanceIds(List<String> instanceIds) {
    }

    record PlanChange(String plan) {
    }

    record ErrorBody(@Nullable String error, @Nullable Integer status) {
    }
}
