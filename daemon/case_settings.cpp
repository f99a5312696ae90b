#include "daemon/case_settings.hpp"

namespace mailgate::daemon {

templates::LintSettings lint_settings(const Config& config) {
  return {config.min_readability, config.max_sentence_words, config.max_cliches,
          config.min_explanation_words};
}

cases::Settings case_settings(const Config& config) {
  cases::Settings s;
  s.office = config.office;
  s.units = config.units;
  s.officers = config.officers;
  s.bodies = config.bodies;
  s.actions = config.actions;
  s.regno_pattern = config.registration.pattern;
  s.officer_auth.authserv_ids = config.officer_auth.authserv_ids;
  s.officer_auth.trusted_relays = config.officer_auth.trusted_relays;
  s.officer_auth.mta_hosts = config.officer_auth.mta_hosts;
  s.officer_auth.token_key = config.officer_auth.token_key;
  s.plain_language = lint_settings(config);
  s.acks_per_sender_per_day = config.outbox.acks_per_sender_per_day;
  s.channel_limits.max_additional = config.outbox.max_additional_channels;
  s.channel_limits.confirm_days = config.outbox.channel_confirm_days;
  s.channel_limits.auto_per_recipient_per_hour = config.outbox.auto_per_sender_per_hour;
  s.channel_limits.auto_per_hour = config.outbox.auto_per_hour;
  s.alerts_per_sender_per_hour = config.outbox.alerts_per_sender_per_hour;
  s.limits = config.limits;
  return s;
}

}  // namespace mailgate::daemon
