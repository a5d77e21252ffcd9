package io.vippanel.dns.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRedirectView;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.vippanel.dns.DnsAccount;
import io.vippanel.dns.DnsAccounts;
import io.vippanel.dns.DnsRecord;
import io.vippanel.dns.DnsZone;
import io.vippanel.dns.DnsZones;
import io.vippanel.dns.RecordType;
import io.vippanel.dns.RecordsChanged;
import io.vippanel.dns.ZoneCreated;
import io.vippanel.dns.ZoneStatus;
import io.vippanel.dns.web.DnsForms.AccountForm;
import io.vippanel.dns.web.DnsForms.RecordForm;
import io.vippanel.dns.web.DnsForms.ZoneForm;
import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * DNS pages: zones with the create form, one zone's records editor (add, change, delete with inline validation),
 * import and export, DNSSEC, drift and delete, and the DNS accounts with their add form.
 */
@Controller
public class DnsController {

    public static final String ZONES = "/dns";
    public static final String ACCOUNTS = "/dns/accounts";
    public static final String ZONE_FORM_ID = "zone-form";
    public static final String RECORD_FORM_ID = "record-form";
    public static final String ACCOUNT_FORM_ID = "dns-account-form";
    public static final int PAGE = 50;

    public static String zone(String id) {
        return "/dns/zones/" + id;
    }

    /** The zones page; {@code form} and {@code errors} belong to the create form. */
    public record ZonesView(List<DnsZone> zones, long total, @Nullable String search, List<DnsAccount> accounts, ZoneForm form,
                            Map<String, String> errors, boolean canManage, Csrf csrf) {
    }

    /** One zone's page; {@code form} and {@code errors} belong to the add-record form. */
    public record ZoneView(DnsZone zone, List<DnsRecord> records, RecordForm form, Map<String, String> errors,
                           List<String> notes, boolean canManage, Csrf csrf) {

        public List<RecordType> types() {
            return List.of(RecordType.values());
        }

        public boolean busy() {
            return zone.status() == ZoneStatus.PENDING || zone.status() == ZoneStatus.SYNCING || zone.status() == ZoneStatus.DELETING;
        }

        public String relative(DnsRecord record) {
            return record.relativeName(zone.name());
        }
    }

    /** The accounts page; {@code form} and {@code errors} belong to the add form. */
    public record AccountsView(List<DnsAccount> accounts, AccountForm form, Map<String, String> errors, boolean canManage,
                               boolean canShare, boolean canHost, Csrf csrf) {

        public boolean kindIs(String kind) {
            return kind.equalsIgnoreCase(DnsForms.text(form.kind()));
        }

        public String text(@Nullable String value) {
            return DnsForms.text(value);
        }
    }

    private final DnsZones zones;
    private final DnsAccounts accounts;

    DnsController(DnsZones zones, DnsAccounts accounts) {
        this.zones = zones;
        this.accounts = accounts;
    }

    @GetMapping(ZONES)
    String zones(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) @Nullable String search,
                 HttpServletRequest request, Model model) {
        model.addAttribute("view", zonesView(actor, search, request, ZoneForm.EMPTY, Map.of()));
        return "pages/dns/zones";
    }

    @PostMapping("/dns/zones")
    Object createZone(@AuthenticationPrincipal Actor actor, @ModelAttribute ZoneForm form, HtmxRequest htmx,
                      HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            ZoneCreated created = zones.create(actor, new io.vippanel.dns.NewZone(form.accountId(), form.name(), form.zoneFile()));
            flash.addFlashAttribute(Toast.ATTRIBUTE, created.zone().name() + " is being created at "
                    + created.zone().provider().displayName() + "." + notes(created.importNotes()));
            return redirect(htmx, zone(created.zone().id()));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", zonesView(actor, null, request, form, e.fieldErrors()));
            return htmx.isHtmxRequest() && ZONE_FORM_ID.equals(htmx.getTarget()) ? "pages/dns/zone-form" : "pages/dns/zones";
        }
    }

    @GetMapping("/dns/zones/{id}")
    String zone(@AuthenticationPrincipal Actor actor, @PathVariable String id, HttpServletRequest request, Model model) {
        model.addAttribute("view", zoneView(actor, id, request, RecordForm.EMPTY, Map.of(), List.of()));
        return "pages/dns/zone";
    }

    /** The zone's header, polled while a job works on it, with its records table out of band. */
    @GetMapping("/dns/zones/{id}/status")
    String zoneStatus(@AuthenticationPrincipal Actor actor, @PathVariable String id, HttpServletRequest request, Model model) {
        model.addAttribute("view", zoneView(actor, id, request, RecordForm.EMPTY, Map.of(), List.of()));
        model.addAttribute("withRecords", true);
        return "pages/dns/zone-status";
    }

    @PostMapping("/dns/zones/{id}/records")
    Object addRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @ModelAttribute RecordForm form, HtmxRequest htmx,
                     HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        return recordChange(actor, id, form, htmx, request, response, model, flash, () -> zones.addRecord(actor, id, form.edit()),
                "Record added");
    }

    @PostMapping("/dns/zones/{id}/records/{recordId}")
    Object updateRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String recordId,
                        @ModelAttribute RecordForm form, HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response,
                        Model model, RedirectAttributes flash) {
        return recordChange(actor, id, form, htmx, request, response, model, flash,
                () -> zones.updateRecord(actor, id, recordId, form.edit()), "Record changed");
    }

    @PostMapping("/dns/zones/{id}/records/{recordId}/delete")
    Object deleteRecord(@AuthenticationPrincipal Actor actor, @PathVariable String id, @PathVariable String recordId,
                        HtmxRequest htmx, RedirectAttributes flash) {
        zones.deleteRecord(actor, id, recordId);
        flash.addFlashAttribute(Toast.ATTRIBUTE, "Record deleted; the provider applies it in a moment.");
        return redirect(htmx, zone(id));
    }

    @PostMapping("/dns/zones/{id}/import")
    Object importZone(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String zoneFile,
                      HtmxRequest htmx, HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            RecordsChanged changed = zones.importZoneFile(actor, id, zoneFile);
            flash.addFlashAttribute(Toast.ATTRIBUTE, changed.records().size() + " records imported; the provider applies them in a moment."
                    + notes(changed.notes()));
            return redirect(htmx, zone(id));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", zoneView(actor, id, request, RecordForm.EMPTY, e.fieldErrors(), List.of()));
            model.addAttribute("zoneFile", zoneFile == null ? "" : zoneFile);
            return "pages/dns/zone";
        }
    }

    @GetMapping("/dns/zones/{id}/export")
    ResponseEntity<String> export(@AuthenticationPrincipal Actor actor, @PathVariable String id) {
        DnsZone zone = zones.get(actor, id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + zone.name() + ".zone\"")
                .body(zones.exportZoneFile(actor, id));
    }

    @PostMapping("/dns/zones/{id}/sync")
    Object sync(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        return act(htmx, flash, id, () -> zones.syncNow(actor, id), "Applying the pending changes again.");
    }

    @PostMapping("/dns/zones/{id}/dnssec")
    Object dnssec(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(defaultValue = "false") boolean enabled,
                  HtmxRequest htmx, RedirectAttributes flash) {
        return act(htmx, flash, id, () -> zones.setDnssec(actor, id, enabled),
                enabled ? "Signing the zone; its DS records appear here when it is done." : "The zone stops being signed.");
    }

    @PostMapping("/dns/zones/{id}/drift")
    Object drift(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        return act(htmx, flash, id, () -> zones.checkDrift(actor, id), "Comparing the provider's records with the panel's.");
    }

    @PostMapping("/dns/zones/{id}/drift/resolve")
    Object resolveDrift(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String name,
                        @RequestParam(required = false) @Nullable String type, @RequestParam(required = false) @Nullable String keep,
                        HtmxRequest htmx, RedirectAttributes flash) {
        return act(htmx, flash, id, () -> zones.resolveDrift(actor, id, name, type, keep).jobId(),
                "provider".equals(keep) ? "The provider's records are now the panel's." : "The panel's records go to the provider.");
    }

    @PostMapping("/dns/zones/{id}/delete")
    Object deleteZone(@AuthenticationPrincipal Actor actor, @PathVariable String id, @RequestParam(required = false) @Nullable String confirm,
                      HtmxRequest htmx, RedirectAttributes flash) {
        DnsZone zone = zones.get(actor, id);
        try {
            zones.delete(actor, id, confirm);
            flash.addFlashAttribute(Toast.ATTRIBUTE, zone.name() + " is being deleted at " + zone.provider().displayName() + ".");
            return redirect(htmx, ZONES);
        } catch (InvalidInput e) {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, sentence(e.getMessage()));
            return redirect(htmx, zone(id));
        }
    }

    @GetMapping(ACCOUNTS)
    String accounts(@AuthenticationPrincipal Actor actor, HttpServletRequest request, Model model) {
        model.addAttribute("view", accountsView(actor, request, AccountForm.EMPTY, Map.of()));
        return "pages/dns/accounts";
    }

    @PostMapping(ACCOUNTS)
    Object createAccount(@AuthenticationPrincipal Actor actor, @ModelAttribute AccountForm form, HtmxRequest htmx,
                         HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            DnsAccount created = accounts.create(actor, form.toNewAccount());
            flash.addFlashAttribute(Toast.ATTRIBUTE, created.name() + " added: " + created.lastCheckNote()
                    + ". Its credentials are stored encrypted and never shown again.");
            return redirect(htmx, ACCOUNTS);
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", accountsView(actor, request, form.withoutSecrets(), e.fieldErrors()));
            return htmx.isHtmxRequest() && ACCOUNT_FORM_ID.equals(htmx.getTarget()) ? "pages/dns/account-form" : "pages/dns/accounts";
        }
    }

    @PostMapping(ACCOUNTS + "/{id}/test")
    Object testAccount(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        DnsAccount checked = accounts.testConnection(actor, id);
        if (Boolean.TRUE.equals(checked.lastCheckOk())) {
            flash.addFlashAttribute(Toast.ATTRIBUTE, checked.name() + ": connection OK. " + checked.lastCheckNote());
        } else {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, checked.name() + ": connection failed. " + checked.lastCheckNote());
        }
        return redirect(htmx, ACCOUNTS);
    }

    @PostMapping(ACCOUNTS + "/{id}/delete")
    Object deleteAccount(@AuthenticationPrincipal Actor actor, @PathVariable String id, HtmxRequest htmx, RedirectAttributes flash) {
        String name = accounts.get(actor, id).name();
        try {
            accounts.delete(actor, id);
            flash.addFlashAttribute(Toast.ATTRIBUTE, name + " deleted.");
        } catch (InvalidInput e) {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, sentence(e.getMessage()));
        }
        return redirect(htmx, ACCOUNTS);
    }

    private Object recordChange(Actor actor, String id, RecordForm form, HtmxRequest htmx, HttpServletRequest request,
                                HttpServletResponse response, Model model, RedirectAttributes flash, Supplier<RecordsChanged> change,
                                String done) {
        try {
            change.get();
            flash.addFlashAttribute(Toast.ATTRIBUTE, done + "; the provider applies it in a moment.");
            return redirect(htmx, zone(id));
        } catch (InvalidInput e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("view", zoneView(actor, id, request, form, e.fieldErrors(), List.of()));
            return htmx.isHtmxRequest() && RECORD_FORM_ID.equals(htmx.getTarget()) ? "pages/dns/record-form" : "pages/dns/zone";
        }
    }

    private Object act(HtmxRequest htmx, RedirectAttributes flash, String id, Supplier<@Nullable String> action, String done) {
        try {
            action.get();
            flash.addFlashAttribute(Toast.ATTRIBUTE, done);
        } catch (InvalidInput e) {
            flash.addFlashAttribute(Toast.ERROR_ATTRIBUTE, sentence(e.getMessage()));
        }
        return redirect(htmx, zone(id));
    }

    private ZonesView zonesView(Actor actor, @Nullable String search, HttpServletRequest request, ZoneForm form,
                                Map<String, String> errors) {
        boolean canManage = AccessPolicy.allows(actor, Permission.DNS_MANAGE);
        return new ZonesView(zones.list(actor, search, PAGE, 0), zones.count(actor, search), search,
                canManage ? accounts.list(actor) : List.of(), form, errors, canManage, Csrf.of(request));
    }

    private ZoneView zoneView(Actor actor, String id, HttpServletRequest request, RecordForm form, Map<String, String> errors,
                              List<String> notes) {
        DnsZone zone = zones.get(actor, id);
        return new ZoneView(zone, zones.records(actor, id), form, errors, notes, AccessPolicy.allows(actor, Permission.DNS_MANAGE),
                Csrf.of(request));
    }

    private AccountsView accountsView(Actor actor, HttpServletRequest request, AccountForm form, Map<String, String> errors) {
        return new AccountsView(accounts.list(actor), form, errors, AccessPolicy.allows(actor, Permission.DNS_MANAGE),
                AccessPolicy.allows(actor, Permission.PROVIDER_SHARE), AccessPolicy.allows(actor, Permission.DNS_HOST), Csrf.of(request));
    }

    private static String notes(List<String> notes) {
        return notes.isEmpty() ? "" : " Left out: " + String.join("; ", notes);
    }

    /** A boosted form follows a plain redirect (and keeps the flash toast); an hx-post needs HX-Redirect. */
    private static Object redirect(HtmxRequest htmx, String url) {
        return htmx.isHtmxRequest() && !htmx.isBoosted() ? (View) new HtmxRedirectView(url) : "redirect:" + url;
    }

    private static String sentence(String reason) {
        String text = reason.isEmpty() ? reason : Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
        return text.endsWith(".") ? text : text + ".";
    }
}
