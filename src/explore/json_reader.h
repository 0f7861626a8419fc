// Strict reading of JSON objects, for the exploration's config and for the
// typed results it reads back from its store and its workers' files: every
// key must be consumed (get, require or has); finish() rejects the rest, so
// a misspelt key is an error instead of a silent default.  Errors are
// InputError(source, 0, "<json path>: reason").
#pragma once

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace gaitlstm::explore {

class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& j, std::string path, std::string source)
      : j_(j), path_(std::move(path)), source_(std::move(source)) {
    if (!j_.is_object()) fail("must be a JSON object");
  }

  [[noreturn]] void fail(const std::string& reason, const std::string& key = "") const {
    const std::string where = key.empty() ? path_ : child_path(key);
    throw InputError(source_, 0, where.empty() ? reason : where + ": " + reason);
  }

  bool has(const std::string& key) {
    known_.insert(key);
    return j_.contains(key);
  }
  // Declares keys before reading, so finish() can list them all.
  void declare(std::initializer_list<const char*> keys) {
    for (const char* k : keys) known_.insert(k);
  }
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& source() const { return source_; }
  const nlohmann::json& at(const std::string& key) {
    known_.insert(key);
    if (!j_.contains(key)) fail("missing", key);
    return j_.at(key);
  }
  // A nested object, read strictly too.
  ObjectReader object(const std::string& key) { return ObjectReader(at(key), child_path(key), source_); }

  // Reads `key` into `out` if present (else leaves `out` alone).
  template <typename T>
  void get(const std::string& key, T& out) {
    if (has(key)) convert(j_.at(key), key, out);
  }
  // An optional member: read when present, else left empty (put_optional
  // below writes it only when set).
  template <typename T>
  void get(const std::string& key, std::optional<T>& out) {
    if (!has(key)) return;
    T value{};
    convert(j_.at(key), key, value);
    out = value;
  }
  // Reads `key` into `out`; missing is an error.
  template <typename T>
  void require(const std::string& key, T& out) {
    convert(at(key), key, out);
  }
  template <typename T>
  T required(const std::string& key) {
    T value{};
    require(key, value);
    return value;
  }

  template <typename T>
  void check(const std::string& key, T value, T low, T high) const {
    if (value < low || value > high) fail(fmt::format("must be in {}..{}, got {}", low, high, value), key);
  }

  void finish() const {
    std::vector<std::string> allowed(known_.begin(), known_.end());
    for (const auto& [key, value] : j_.items())
      if (known_.count(key) == 0) fail(fmt::format("unknown key (allowed here: {})", fmt::join(allowed, ", ")), key);
  }

 private:
  template <typename T>
  void convert(const nlohmann::json& v, const std::string& key, T& out) const {
    if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_boolean()) fail("must be true or false", key);
      out = v.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (!v.is_number_integer()) fail("must be an integer", key);
      out = v.get<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!v.is_number()) fail("must be a number", key);
      out = v.get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v.is_string()) fail("must be a string", key);
      out = v.get<std::string>();
    } else {
      if (!v.is_array()) fail("must be an array", key);
      out.clear();
      for (const nlohmann::json& item : v) {
        typename T::value_type x{};
        if constexpr (std::is_same_v<typename T::value_type, std::string>) {
          if (!item.is_string()) fail("must be an array of strings", key);
          x = item.get<std::string>();
        } else if constexpr (std::is_integral_v<typename T::value_type>) {
          if (!item.is_number_integer()) fail("must be an array of integers", key);
          x = item.get<typename T::value_type>();
        } else {
          if (!item.is_number()) fail("must be an array of numbers", key);
          x = item.get<typename T::value_type>();
        }
        out.push_back(x);
      }
    }
  }

  const nlohmann::json& j_;
  std::string path_;
  std::string source_;
  std::set<std::string> known_;
};

// Writes an optional member only when it is set (ObjectReader::get reads it back).
template <typename T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

}  // namespace gaitlstm::explore
