// Demo data for a first run: the organisation (org/demo_data) and staff accounts for every
// role at city, district and station level, with random passwords.
#pragma once

#include <string>

#include "app/app.h"

namespace lianxin::app {

struct DemoOptions {
  double scale = 1.0;         // stations, beats, officers
  double appeal_scale = 1.0;  // a year of appeals (~200,000 at 1); 0 for none
  std::string credentials_path = "var/demo-credentials.txt";
};

// Refuses with kConflict when the database already has units. Writes the credentials file
// with mode 0600: a comment line, then "username\tpassword\troles\tunit name\tunit id".
[[nodiscard]] Status LoadDemo(App& app, const DemoOptions& options);

// A random password of 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
std::string GeneratePassword();

}  // namespace lianxin::app
