// replay.html: one self-contained page (no network: inline CSS, data and
// JavaScript drawing SVG) with, per segment, a zoomable timeline (wheel or
// buttons to zoom, drag to pan, double click to reset; a click on an
// episode or false alarm in the segment's list zooms to it) of the
// acceleration magnitude, the decision statistic and the threshold, the
// annotated freezes (caught / missed) and the alarms (false ones marked),
// and tables of the episode figures.
#pragma once

#include <string>

#include "replay/replay.h"

namespace gaitlstm::replay {

std::string replay_html(const Replay& replay);

}  // namespace gaitlstm::replay
