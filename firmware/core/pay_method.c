#include "kiosk/pay_method.h"

#include <string.h>

#include "kiosk/compiler.h"

/* These names are stored in the journal: never rename one, only add. */
static const char *const names[PAY_METHOD_COUNT] = {
    [PAY_CHAIN_PENDING] = "chain_pending",
    [PAY_CASH] = "cash",
    [PAY_BANK] = "bank",
    [PAY_WAIVED] = "waived",
};

const char *pay_method_name(enum pay_method m)
{
	return (unsigned)m < ARRAY_SIZE(names) ? names[m] : "?";
}

enum kerr pay_method_parse(const char *name, enum pay_method *out)
{
	*out = PAY_CHAIN_PENDING;
	for (unsigned i = 0; name && i < ARRAY_SIZE(names); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum pay_method)i;
			return KERR_OK;
		}
	}
	return KERR_PARSE;
}
