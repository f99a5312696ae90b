#pragma once
/// Which variables each template may use: the contract between the template files that
/// administrators edit and the daemon that fills them. A tag naming anything else is an error
/// at load time, with its file and line (kainjow would silently render it empty).
///
/// Variables are dotted paths into the JSON context ("case.regno" is context["case"]["regno"]).
/// Lists are arrays of objects at the top level; inside {{#list}}...{{/list}} the item's fields
/// and {{.}} may be used. For every list the renderer adds a flag "has_<list>" (true when the
/// list is not empty), so a heading can be shown only when there is something under it.

#include <string>
#include <string_view>
#include <vector>

namespace mailgate::templates {

struct ListSchema {
  std::string name;
  std::vector<std::string> fields;
};

struct TemplateSchema {
  std::string name;                    ///< "acknowledgement"
  std::string description;             ///< one line in Russian: who gets it and when
  std::vector<std::string> variables;  ///< dotted paths, including the has_<list> flags
  std::vector<ListSchema> lists;

  bool has_variable(std::string_view path) const;
  const ListSchema* list(std::string_view name) const;
};

/// Every template of the set, in a stable order.
const std::vector<TemplateSchema>& template_schemas();

/// nullptr for an unknown name.
const TemplateSchema* find_schema(std::string_view name);

/// The names of every template (all are required).
std::vector<std::string> template_names();

}  // namespace mailgate::templates
