#include "cases/case_words.hpp"

#include <array>
#include <utility>

namespace mailgate::cases {
namespace {

// The same words as scripts/demo uses for statuses.

using Words = std::pair<std::string_view, std::string_view>;

constexpr std::array kStatuses = {
    Words{"registered", "зарегистрировано, ответа ещё нет"},
    Words{"answered", "ответ дан"},
    Words{"refused", "отказ"},
    Words{"forwarded", "переслано в другой орган"},
    Words{"waiting_client", "ждём ответа клиента"},
    Words{"closed", "закрыто без ответа"},
};

constexpr std::array kEvents = {
    Words{"registered", "зарегистрировано"},
    Words{"follow_up", "новое письмо клиента по делу"},
    Words{"channel_added", "добавлен канал"},
    Words{"channel_removed", "удалён канал"},
    Words{"mail_queued", "письмо подготовлено к отправке"},
    Words{"mail_sent", "письмо отправлено"},
    Words{"mail_failed", "письмо не доставлено"},
    Words{"answer", "ответ"},
    Words{"refuse", "отказ"},
    Words{"forward", "переадресация"},
    Words{"transfer", "передано другому сотруднику"},
    Words{"clarify", "запрошено уточнение"},
    Words{"clarification_received", "получено уточнение"},
    Words{"extend", "срок продлён"},
    Words{"close", "закрыто без ответа"},
};

template <std::size_t N>
std::string find(const std::array<Words, N>& table, std::string_view key) {
  for (const auto& [k, v] : table) {
    if (k == key) return std::string(v);
  }
  return std::string(key);
}

}  // namespace

std::string status_word(std::string_view status) { return find(kStatuses, status); }
std::string event_word(std::string_view kind) { return find(kEvents, kind); }

}  // namespace mailgate::cases
