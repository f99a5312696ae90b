#pragma once
/// The long-running loop of `mailgate run`: poll, register, sleep; back off when a server
/// cannot be reached; stop cleanly on SIGTERM/SIGINT.

#include <atomic>
#include <functional>

#include "daemon/config.hpp"
#include "daemon/intake.hpp"
#include "daemon/rules_runtime.hpp"

namespace mailgate::daemon {

/// Called with each letter before it is planned (see run_service).
using PlanCheck = std::function<void(const storage::Incoming&)>;

/// Set by the signal handler; everything long-running checks it between messages.
std::atomic<bool>& stop_flag();
void install_signal_handlers();

/// Runs until stopped (or one pass with `once`). Returns the process exit code. SIGHUP
/// reloads the rules and calendar between passes (kept as they were if the new ones fail).
/// `plan_check` is the test build's fault injection (cases::Correspondence::set_plan_check).
int run_service(const Config& config, bool once, const Parser& parser, RulesHolder& rules,
                const PlanCheck& plan_check = {});

}  // namespace mailgate::daemon
