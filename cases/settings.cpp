#include "cases/settings.hpp"

namespace mailgate::cases {

const Unit* find_unit(const Settings& settings, const std::string& unit_id) {
  for (const auto& u : settings.units) {
    if (u.id == unit_id) return &u;
  }
  return nullptr;
}

const Officer* responsible_officer(const Settings& settings, const std::string& officer_id,
                                   const std::string& unit_id) {
  for (const auto& o : settings.officers) {
    if (!officer_id.empty() && o.id == officer_id) return &o;
  }
  for (const auto& o : settings.officers) {
    if (!unit_id.empty() && o.unit == unit_id) return &o;
  }
  return settings.officers.empty() ? nullptr : &settings.officers.front();
}

}  // namespace mailgate::cases
