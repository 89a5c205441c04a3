#pragma once
// The right-hand side of the library: which sound is shown (a dataset note or a classified file),
// a play button, and its waveform above its spectrogram on one time range. Decodes what it is
// asked to show off the GUI thread (SoundDecoder; only the latest request counts), and shows a
// short message instead when there is nothing to show or the sound cannot be read.
#include <QString>
#include <QWidget>
#include <memory>

#include "audio/AudioFile.h"
#include "dataset/NoteRecord.h"
#include "ui/sound/WaveformView.h"

class QComboBox;
class QLabel;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace ts::ui {

class SoundDecoder;
class SpectrogramView;
struct SpectrogramOverlay;
class TimeRange;

class SoundViewPanel : public QWidget {
    Q_OBJECT
public:
    explicit SoundViewPanel(QWidget* parent = nullptr);

    // A dataset note: its WAV is decoded, then shown with the note's labels as details.
    void showNote(const dataset::NoteRecord& note);
    // A sound file; `audio` when the caller already decoded it (shown at once), else decoded here.
    void showFile(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio = {});
    void showSound(const QString& title, const QString& details, std::shared_ptr<const audio::DecodedAudio> audio);
    void showMessage(const QString& title, const QString& message);
    // The notes a classifier found in the file at `path`: drawn on its waveform whenever that file
    // is shown (now, or once it has been decoded); another sound shows none.
    void showSegments(const QString& path, const QList<ts::ui::WaveformSegment>& segments);

    QString title() const;
    QString details() const;
    // The file of what is shown (or being decoded), empty for a message.
    QString path() const { return m_path; }
    const std::shared_ptr<const audio::DecodedAudio>& audio() const { return m_audio; }

    // "Why?": the saliency of the model's answer (or of a chosen class) over the spectrogram. The
    // panel asks for it with explainRequested while the toggle is on; the answer comes back here,
    // for the sound it was asked for (ignored if another is shown by then). A null overlay with a
    // caption says why there is none.
    void showExplanation(const audio::DecodedAudio* forAudio, std::shared_ptr<const SpectrogramOverlay> overlay,
                         const QString& caption);
    bool isExplaining() const;
    void setExplaining(bool on);
    // Which class to explain: target 0 family, 1 source; classIndex -1 for the model's answer.
    void setExplainedClass(int target, int classIndex);
    QString explanationCaption() const;

    void setPlaying(bool playing);
    // Seconds into the sound; negative hides the playhead.
    void setPlayhead(double seconds);

    WaveformView* waveform() const { return m_waveform; }
    SpectrogramView* spectrogram() const { return m_spectrogram; }
    // What both views show: zooming or panning either moves the other.
    TimeRange* timeRange() const { return m_timeRange; }
    // Between waveform and spectrogram; its state is saved with the window's.
    QSplitter* splitter() const { return m_splitter; }

Q_SIGNALS:
    // What is shown changed: a new sound (audio() set) or a message (audio() null).
    void soundChanged();
    void playToggleRequested();
    // A click in the waveform or spectrogram: play from there.
    void seekRequested(double seconds);
    // The saliency of `audio` is wanted (see showExplanation).
    void explainRequested(std::shared_ptr<const ts::audio::DecodedAudio> audio, int target, int classIndex);

private:
    void request(const QString& path, const QString& title, const QString& details);
    void display(const QString& title, const QString& details, std::shared_ptr<const audio::DecodedAudio> audio,
                 const QString& path);
    void onDecoded(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio);
    void onFailed(const QString& path, const QString& message);
    void requestExplanation();

    QLabel* m_title = nullptr;
    QLabel* m_details = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_why = nullptr;
    QComboBox* m_whyClass = nullptr;
    QLabel* m_whyCaption = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_message = nullptr;
    QSplitter* m_splitter = nullptr;
    WaveformView* m_waveform = nullptr;
    SpectrogramView* m_spectrogram = nullptr;
    TimeRange* m_timeRange = nullptr;
    SoundDecoder* m_decoder = nullptr;
    std::shared_ptr<const audio::DecodedAudio> m_audio;
    QString m_path;
    QString m_pendingTitle;    // what the pending decode will be shown as
    QString m_pendingDetails;
    QString m_segmentsPath;             // the file the segments belong to
    QList<WaveformSegment> m_segments;
};

} // namespace ts::ui
