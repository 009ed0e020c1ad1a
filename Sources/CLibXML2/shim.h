#ifndef FORMULARY_CLIBXML2_SHIM_H
#define FORMULARY_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian's libxml2 headers pull in ICU, whose module clashes with the one Foundation
// carries. The importer never needs libxml2's ICU support, so keep it out of the
// Swift-visible headers. (The clash shows only on a clean build.)
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xmlmemory.h>

/// `xmlFree` is a macro over a global function pointer; Swift cannot call it directly.
static inline void formulary_xmlFree(void *pointer) {
    xmlFree(pointer);
}

#endif
