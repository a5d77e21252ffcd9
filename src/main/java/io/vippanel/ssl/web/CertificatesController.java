package io.vippanel.ssl.web;

import io.vippanel.platform.InvalidInput;
import io.vippanel.platform.NotFound;
import io.vippanel.platform.web.Csrf;
import io.vippanel.platform.web.Toast;
import io.vippanel.sites.Site;
import io.vippanel.sites.Sites;
import io.vippanel.ssl.Certificate;
import io.vippanel.ssl.Certificates;
import io.vippanel.ssl.CustomCertificate;
import io.vippanel.ssl.IssueRequest;
import io.vippanel.tenancy.AccessPolicy;
import io.vippanel.tenancy.Actor;
import io.vippanel.tenancy.Permission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The certificate pages: every site with its certificate's status, and one site's certificate (issue, renew now,
 * upload a custom one, the issued certificate beside what port 443 served), whose status refreshes live while a job
 * works on it.
 */
@Controller
public class CertificatesController {

    public static final String LIST = "/ssl";
    public static final String ATTENTION = "/ssl/attention";

    /** A site and its certificate, if it has one. */
    public record SiteCertificate(Site site, @Nullable Certificate certificate) {
    }

    public record ListView(List<SiteCertificate> sites, boolean truncated) {
    }

    /**
     * One site's certificate page.
     *
     * @param form what was typed, kept when a field is refused
     */
    public record SiteView(Site site, @Nullable Certificate certificate, boolean canManage, Map<String, String> errors,
                           Map<String, String> form, Csrf csrf) {

        public boolean busy() {
            return certificate != null && certificate.status().working();
        }

        public String value(String field) {
            return form.getOrDefault(field, "");
        }

        public boolean checked(String field) {
            return "true".equals(form.get(field));
        }
    }

    public static String site(String siteId) {
        return "/ssl/sites/" + siteId;
    }

    private final Certificates certificates;
    private final Sites sites;

    CertificatesController(Certificates certificates, Sites sites) {
        this.certificates = certificates;
        this.sites = sites;
    }

    @GetMapping(LIST)
    String list(@AuthenticationPrincipal Actor actor, Model model) {
        List<Site> visible = sites.list(actor, null, null, Sites.MAX_PAGE, 0);
        Map<String, Certificate> bySite = certificates.list(actor, Certificates.MAX_PAGE, 0).stream()
                .collect(Collectors.toMap(Certificate::siteId, Function.identity()));
        model.addAttribute("view", new ListView(visible.stream().map(site -> new SiteCertificate(site, bySite.get(site.id()))).toList(),
                visible.size() == Sites.MAX_PAGE));
        return "pages/ssl/certificates";
    }

    @GetMapping(ATTENTION)
    String attention(@AuthenticationPrincipal Actor actor, Model model) {
        model.addAttribute("certificates", certificates.needingAttention(actor, 10));
        return "pages/ssl/attention";
    }

    @GetMapping("/ssl/sites/{siteId}")
    String page(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, HttpServletRequest request, Model model) {
        model.addAttribute("view", view(actor, siteId, Map.of(), Map.of("challenge", "automatic"), request));
        return "pages/ssl/site";
    }

    @GetMapping("/ssl/sites/{siteId}/status")
    String status(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, HttpServletRequest request, Model model) {
        model.addAttribute("view", view(actor, siteId, Map.of(), Map.of(), request));
        return "pages/ssl/site-status";
    }

    @PostMapping("/ssl/sites/{siteId}/issue")
    String issue(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                 @RequestParam(required = false) @Nullable String challenge, @RequestParam(defaultValue = "false") boolean wildcard,
                 @RequestParam(defaultValue = "false") boolean hsts, HttpServletRequest request, HttpServletResponse response,
                 Model model, RedirectAttributes flash) {
        try {
            Certificates.Queued queued = certificates.issue(actor, siteId, new IssueRequest(challenge, wildcard, hsts));
            flash.addFlashAttribute(Toast.ATTRIBUTE, "Ordering a certificate for " + String.join(", ", queued.certificate().names()) + ".");
            return "redirect:" + site(siteId);
        } catch (InvalidInput e) {
            return refused(actor, siteId, e, Map.of("challenge", challenge == null ? "" : challenge, "wildcard", String.valueOf(wildcard),
                    "hsts", String.valueOf(hsts)), request, response, model);
        }
    }

    @PostMapping("/ssl/sites/{siteId}/upload")
    String upload(@AuthenticationPrincipal Actor actor, @PathVariable String siteId,
                  @RequestParam(required = false) @Nullable String certificate, @RequestParam(required = false) @Nullable String chain,
                  @RequestParam(required = false) @Nullable String privateKey, @RequestParam(defaultValue = "false") boolean hsts,
                  HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes flash) {
        try {
            certificates.upload(actor, siteId, new CustomCertificate(certificate, chain, privateKey, hsts));
            flash.addFlashAttribute(Toast.ATTRIBUTE, "The certificate passed the checks and is being deployed.");
            return "redirect:" + site(siteId);
        } catch (InvalidInput e) {
            // The private key is never sent back to the browser; the person pastes it again.
            return refused(actor, siteId, e, Map.of("certificate", certificate == null ? "" : certificate,
                    "chain", chain == null ? "" : chain, "uploadHsts", String.valueOf(hsts), "challenge", "automatic"),
                    request, response, model);
        }
    }

    @PostMapping("/ssl/sites/{siteId}/renew")
    String renew(@AuthenticationPrincipal Actor actor, @PathVariable String siteId, HttpServletRequest request,
                 HttpServletResponse response, Model model, RedirectAttributes flash) {
        Certificate certificate = certificates.forSite(actor, siteId)
                .orElseThrow(() -> new NotFound("certificate of site", siteId));
        try {
            certificates.renew(actor, certificate.id());
            flash.addFlashAttribute(Toast.ATTRIBUTE, "Renewing the certificate of " + certificate.domain() + ".");
            return "redirect:" + site(siteId);
        } catch (InvalidInput e) {
            return refused(actor, siteId, e, Map.of("challenge", "automatic"), request, response, model);
        }
    }

    private String refused(Actor actor, String siteId, InvalidInput e, Map<String, String> form, HttpServletRequest request,
                           HttpServletResponse response, Model model) {
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("view", view(actor, siteId, e.fieldErrors(), form, request));
        return "pages/ssl/site";
    }

    private SiteView view(Actor actor, String siteId, Map<String, String> errors, Map<String, String> form, HttpServletRequest request) {
        Site site = sites.get(actor, siteId);
        return new SiteView(site, certificates.forSite(actor, site.id()).orElse(null), AccessPolicy.allows(actor, Permission.SSL_MANAGE),
                errors, form, Csrf.of(request));
    }
}
