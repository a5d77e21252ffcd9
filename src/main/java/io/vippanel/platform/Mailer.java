package io.vippanel.platform;

import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/** Sends plain-text mail through the configured SMTP server; says whether it could. */
@Component
public class Mailer {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    private final VipProperties.Mail settings;
    private final JavaMailSenderImpl sender = new JavaMailSenderImpl();

    public Mailer(VipProperties properties) {
        this.settings = properties.mail();
        if (settings.configured()) {
            sender.setHost(settings.host());
            sender.setPort(settings.port());
            sender.setUsername(settings.username());
            sender.setPassword(settings.password());
            Properties javaMail = sender.getJavaMailProperties();
            javaMail.put("mail.smtp.starttls.enable", Boolean.toString(settings.starttls()));
            javaMail.put("mail.smtp.connectiontimeout", "10000");
            javaMail.put("mail.smtp.timeout", "10000");
        }
    }

    public boolean configured() {
        return settings.configured();
    }

    /** Sends the message; false when SMTP is not configured or the server refused it (logged without the body). */
    public boolean send(String to, String subject, String body) {
        if (!settings.configured()) {
            return false;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(settings.from());
        message.setTo(to);
        message.setSubject(subject);
        message.setText(body);
        try {
            sender.send(message);
            return true;
        } catch (MailException e) {
            log.warn("could not send \"{}\" to {}: {}", subject, to, e.getMessage());
            return false;
        }
    }
}
