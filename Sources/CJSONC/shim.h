// json-c, parsed in strict mode by WeightsKit's JSONDocument; nothing else imports it.
#include <json-c/json.h>
